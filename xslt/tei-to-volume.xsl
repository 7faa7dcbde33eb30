<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-volume.xsl: a volume's index page, its front door: the title page, the table of
  contents and the index of persons, places, organisations and terms across all its documents.

  Included by tei-to-html.xsl (whose parameters, page-head template and CSS it shares). Input: the volume summary teikit writes for each volume
  it publishes (namespace urn:teikit:edition; src/publish/volume.rs says what is in it), not
  TEI. teikit build with its html option renders one per volume, as OUT/VOLUME/index.html.

  What a publisher can change: the label-* parameters below; the templates named
  volume-site-header, volume-title-page, volume-contents, volume-index and volume-site-footer,
  and the template in mode volume-entry-name, redefined in an importing stylesheet.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ed="urn:teikit:edition"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:param name="label-contents-heading" as="xs:string" select="'Contents'"/>
  <xsl:param name="label-documents" as="xs:string" select="'Documents'"/>
  <xsl:param name="label-edited-by" as="xs:string" select="'Edited by'"/>
  <xsl:param name="label-index-in" as="xs:string" select="'Document'"/>
  <xsl:param name="label-document-number" as="xs:string" select="'Document'"/>
  <xsl:param name="label-pages" as="xs:string" select="'pp.'"/>
  <xsl:param name="label-volume-page-nav" as="xs:string" select="'On this page'"/>

  <xsl:template match="document-node(element(ed:volume))" priority="3">
    <xsl:variable name="volume" select="ed:volume"/>
    <!-- Sub-series, number and title ("1969–1976, Volume X, Vietnam…"), or else the one title
         the header has besides the series (a "complete" title). -->
    <xsl:variable name="parts" select="$volume/ed:title[@type = ('sub-series', 'volume-number', 'volume')][normalize-space()]"/>
    <xsl:variable name="title" select="if ($parts) then string-join($parts, ', ')
        else string(($volume/ed:title[not(@type = 'series')], $volume/ed:title)[1])"/>
    <html lang="{$lang}">
      <head>
        <xsl:call-template name="page-head">
          <xsl:with-param name="title" select="if ($title) then $title else string($volume/@id)"/>
        </xsl:call-template>
        <!-- Which summary the page shows: teikit renders it again when the summary changes. -->
        <xsl:if test="$volume/@fingerprint">
          <meta name="teikit-volume" content="{$volume/@fingerprint}"/>
        </xsl:if>
      </head>
      <body class="volume">
        <xsl:call-template name="volume-site-header"/>
        <nav aria-label="{$label-volume-page-nav}" class="contents">
          <ul>
            <li><a href="#contents">{$label-contents-heading}</a></li>
            <xsl:if test="$volume/ed:index/ed:entry"><li><a href="#index">{$label-index}</a></li></xsl:if>
          </ul>
        </nav>
        <main id="main">
          <xsl:call-template name="volume-title-page">
            <xsl:with-param name="title" select="if ($title) then $title else string($volume/@id)"/>
          </xsl:call-template>
          <xsl:call-template name="volume-contents"/>
          <xsl:call-template name="volume-index"/>
        </main>
        <xsl:call-template name="volume-site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- Overridable: the series above the title, as on a document's page (a volume outside any
       series names its publisher there instead, or at least itself). -->
  <xsl:template name="volume-site-header">
    <xsl:variable name="series" select="(/ed:volume/ed:title[@type = 'series'],
        /ed:volume/ed:imprint[@type = 'publisher'], /ed:volume/@id)[normalize-space()][1]"/>
    <header class="site-header">
      <p class="series">{normalize-space($series)}</p>
    </header>
  </xsl:template>

  <!-- Overridable: the imprint again, with the terms of availability, as on a document's page. -->
  <xsl:template name="volume-site-footer">
    <xsl:variable name="imprint" select="/ed:volume/ed:imprint"/>
    <footer class="site-footer">
      <p>{string-join(($imprint[@type = 'publisher'], $imprint[@type = 'pubPlace'],
          $imprint[@type = 'date']) ! normalize-space(.), ', ')}<xsl:if
          test="$imprint[@type = 'availability']">. {normalize-space($imprint[@type = 'availability'])}</xsl:if></p>
    </footer>
  </xsl:template>

  <!-- Overridable: the title page: title, editors, imprint. -->
  <xsl:template name="volume-title-page">
    <xsl:param name="title" as="xs:string"/>
    <div class="title-page">
      <h1>{$title}</h1>
      <xsl:if test="/ed:volume/ed:editor">
        <p class="editors">{$label-edited-by} {string-join(/ed:volume/ed:editor, ', ')}</p>
      </xsl:if>
      <xsl:variable name="imprint" select="/ed:volume/ed:imprint"/>
      <xsl:if test="$imprint">
        <p class="imprint">{string-join(($imprint[@type = 'pubPlace'], $imprint[@type = 'publisher'],
            $imprint[@type = 'date']), ', ')}</p>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- Overridable: the documents, in order, under their chapters where the TEI names them. -->
  <xsl:template name="volume-contents">
    <section id="contents" class="volume-contents" aria-labelledby="contents-heading">
      <h2 id="contents-heading">{$label-contents-heading}</h2>
      <xsl:for-each select="/ed:volume/ed:contents/ed:chapter">
        <xsl:choose>
          <xsl:when test="ed:title">
            <section class="chapter" aria-labelledby="chapter-{position()}">
              <h3 id="chapter-{position()}">{normalize-space(ed:title)}</h3>
              <xsl:call-template name="volume-contents-list"/>
            </section>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="volume-contents-list"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </section>
  </xsl:template>

  <xsl:template name="volume-contents-list">
    <ol class="toc">
      <xsl:for-each select="ed:document">
        <li id="toc-{@n}">
          <a href="{@href}"><span class="doc-number">{@n}.</span><xsl:text> </xsl:text>
            <span class="doc-title">{normalize-space(ed:title)}</span></a>
          <xsl:for-each select="ed:date">
            <xsl:text> </xsl:text>
            <span class="doc-date">
              <xsl:choose>
                <xsl:when test="@when"><time datetime="{@when}">{normalize-space(.)}</time></xsl:when>
                <xsl:otherwise>{normalize-space(.)}</xsl:otherwise>
              </xsl:choose>
              <xsl:if test="@inferred = 'true'"> ({$label-inferred})</xsl:if>
            </span>
          </xsl:for-each>
          <xsl:if test="@first-page">
            <xsl:text> </xsl:text>
            <span class="doc-pages">{if (@first-page = @last-page) then $label-page-short || ' ' || @first-page
                else $label-pages || ' ' || @first-page || '–' || @last-page}</span>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <!-- Overridable: the index across the volume; every mention linked, by document and page. -->
  <xsl:template name="volume-index">
    <xsl:variable name="entries" select="/ed:volume/ed:index/ed:entry"/>
    <xsl:if test="$entries">
      <section id="index" class="index volume-index" aria-labelledby="index-heading">
        <h2 id="index-heading">{$label-index}</h2>
        <xsl:for-each-group select="$entries" group-by="@kind">
          <xsl:variable name="kind" select="current-grouping-key()"/>
          <section class="index-{$kind}" aria-labelledby="index-{$kind}">
            <h3 id="index-{$kind}">{if ($kind = 'person') then $label-persons
                else if ($kind = 'place') then $label-places
                else if ($kind = 'organisation') then $label-organisations else $label-terms}</h3>
            <ul>
              <xsl:for-each select="current-group()">
                <xsl:variable name="same-id" select="preceding-sibling::ed:entry[@id = current()/@id]"/>
                <li id="idx_{@id}{if ($same-id) then '_' || (count($same-id) + 1) else ''}">
                  <span class="entry-name"><xsl:apply-templates select="." mode="volume-entry-name"/></span>
                  <xsl:for-each select="ed:description">, <span class="identification">{normalize-space(.)}</span></xsl:for-each>
                  <xsl:if test="ed:in">
                    <span class="mentions"> — <xsl:for-each select="ed:in">
                        <xsl:if test="position() > 1">; </xsl:if>
                        <span class="in-document"><span class="visually-hidden">{$label-index-in} </span>{@n}<xsl:text> (</xsl:text>
                          <xsl:for-each select="ed:at">
                            <xsl:if test="position() > 1">, </xsl:if>
                            <a href="{@href}">{normalize-space(.)}</a>
                          </xsl:for-each>)</span>
                      </xsl:for-each>
                    </span>
                  </xsl:if>
                </li>
              </xsl:for-each>
            </ul>
          </section>
        </xsl:for-each-group>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Overridable: how an entry is named (as the documents' headers give it). -->
  <xsl:template match="ed:entry" mode="volume-entry-name">
    <xsl:value-of select="normalize-space(ed:name)"/>
  </xsl:template>
</xsl:stylesheet>
