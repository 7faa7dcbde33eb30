<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-html.xsl: a documentary reading edition of one TEI P5 document, as one HTML5 page.

  Input: a document as `teikit convert` writes it, or FRUS-style TEI generally: a TEI file whose
  body holds div[@type='document'] (the first one's head is the page's h1), or any other TEI
  text, such as the Office of the Historian's monographs (the header's title is the h1). Output: one self-contained HTML5 page, usable
  without JavaScript, on a phone and in print.

  Run with any XSLT 3.0 processor, for example:
    saxon   -s:d59.xml -xsl:xslt/tei-to-html.xsl -o:d59.html        (Saxon-HE 9.9 or later)
    SaxonC-HE from Python (pip install saxonche): see src/publish/mod.rs for a driver
    teikit build, with its html option, finds a Saxon and runs this stylesheet (an XML
    comment cannot hold the option's two hyphens)

  What the page shows
    - title (h1) and subject; the date and place, an editorial inference in square brackets,
      marked "inferred" and linked to the editors' reasoning;
    - the paragraphs, run-in heads in small capitals;
    - page numbers in the margin at each pb, each an anchor (#pg_288) that can be linked to;
    - footnotes numbered as in the source, linked both ways (reference to note, note back);
    - persons, places and organisations linked to an index built from the header's listPerson,
      listPlace and listOrg, each index entry linking back to every mention (by page);
    - abbreviations expanded on hover (abbr/@title) and in the index;
    - handwritten annotations (add[@hand]) in another hand, where they stand on the page
      (@place), a circled name circled (metamark[@function='circle']), and a text for screen
      readers saying whose hand it is and what it did;
    - the archival source and classification in a source block.

  What a publisher can change without rewriting (parameters and overridable templates)
    - css-href: a stylesheet URL to link instead of embedding tei-to-html.css (the default
      embeds the CSS file next to this stylesheet, so the page is self-contained);
    - extra-css: more CSS appended to the embedded styles;
    - lang: the page language when the TEI does not state one;
    - label-*: every fixed word on the page (English by default);
    - entry-href-base: where names link to; empty (the default) links to this page's index,
      "https://history.state.gov/historicaldocuments/frus1969-76v10/persons#" would link to the
      volume's list of persons instead (the entry's xml:id is appended);
    - page-id-prefix: the anchor prefix for a page break without an xml:id (default "pg_");
    - edition: the URI of the volume summary teikit writes for a build; a page finds itself in it
      by its source's file name and links to the previous and next document and to its
      volume's contents (teikit build sets it; without it a page stands alone);
    - the templates named page-label, page-head, site-header, site-footer and volume-nav (and
      those tei-to-volume.xsl names for the volume's index page), and the templates in mode
      index-entry-name, can be overridden in an importing stylesheet (xsl:import this file and
      redefine them).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="urn:teikit:edition"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <!-- A volume's index page (contents and index), from the summary teikit writes. -->
  <xsl:include href="tei-to-volume.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
      include-content-type="no"/>

  <xsl:strip-space elements="tei:TEI tei:teiHeader tei:fileDesc tei:sourceDesc tei:text
      tei:body tei:back tei:front tei:div tei:opener tei:closer tei:list tei:listPerson
      tei:listPlace tei:listOrg tei:person tei:place tei:org tei:msDesc tei:msIdentifier
      tei:profileDesc tei:textClass tei:keywords tei:handNotes tei:add"/>

  <!-- ============================================================ parameters -->
  <xsl:param name="css-href" as="xs:string" select="''"/>
  <xsl:param name="extra-css" as="xs:string" select="''"/>
  <xsl:param name="lang" as="xs:string" select="'en'"/>
  <xsl:param name="entry-href-base" as="xs:string" select="''"/>
  <xsl:param name="page-id-prefix" as="xs:string" select="'pg_'"/>
  <!-- The volume summary teikit writes for a build (src/publish/volume.rs): where given, each
       page finds itself in it by its source's file name and links to its neighbours and to the
       volume's contents. -->
  <xsl:param name="edition" as="xs:string" select="''"/>

  <xsl:param name="label-subject" as="xs:string" select="'Subject'"/>
  <xsl:param name="label-notes" as="xs:string" select="'Notes'"/>
  <xsl:param name="label-back-to-text" as="xs:string" select="'Back to text'"/>
  <xsl:param name="label-note" as="xs:string" select="'Note'"/>
  <xsl:param name="label-source" as="xs:string" select="'Source'"/>
  <xsl:param name="label-index" as="xs:string" select="'Index'"/>
  <xsl:param name="label-persons" as="xs:string" select="'Persons'"/>
  <xsl:param name="label-places" as="xs:string" select="'Places'"/>
  <xsl:param name="label-organisations" as="xs:string" select="'Organisations'"/>
  <xsl:param name="label-terms" as="xs:string" select="'Abbreviations and terms'"/>
  <xsl:param name="label-contents" as="xs:string" select="'On this page'"/>
  <xsl:param name="label-text" as="xs:string" select="'Text'"/>
  <xsl:param name="label-page" as="xs:string" select="'Page'"/>
  <xsl:param name="label-page-short" as="xs:string" select="'p.'"/>
  <xsl:param name="label-mentions" as="xs:string" select="'Mentioned on'"/>
  <xsl:param name="label-inferred" as="xs:string" select="'inferred'"/>
  <xsl:param name="label-inference-link" as="xs:string" select="'how the editors dated it'"/>
  <xsl:param name="label-supplied" as="xs:string" select="'supplied by the editors'"/>
  <xsl:param name="label-annotation" as="xs:string" select="'Handwritten annotation'"/>
  <xsl:param name="label-in-the-hand-of" as="xs:string" select="'in the hand of'"/>
  <xsl:param name="label-circled" as="xs:string" select="'circled by hand'"/>
  <xsl:param name="label-repository" as="xs:string" select="'Repository'"/>
  <xsl:param name="label-collection" as="xs:string" select="'Collection'"/>
  <xsl:param name="label-series" as="xs:string" select="'Series'"/>
  <xsl:param name="label-subseries" as="xs:string" select="'Subseries'"/>
  <xsl:param name="label-box" as="xs:string" select="'Box'"/>
  <xsl:param name="label-folder" as="xs:string" select="'Folder'"/>
  <xsl:param name="label-classification" as="xs:string" select="'Classification'"/>
  <xsl:param name="label-handling" as="xs:string" select="'Handling'"/>
  <xsl:param name="label-source-note" as="xs:string" select="'Source note'"/>
  <xsl:param name="label-dating" as="xs:string" select="'Date of the document'"/>
  <xsl:param name="label-published-in" as="xs:string" select="'Published in'"/>
  <xsl:param name="label-previous" as="xs:string" select="'Previous document'"/>
  <xsl:param name="label-next" as="xs:string" select="'Next document'"/>
  <xsl:param name="label-volume-contents" as="xs:string" select="'Volume contents'"/>
  <xsl:param name="label-volume-nav" as="xs:string" select="'Volume'"/>
  <xsl:param name="label-volume-nav-end" as="xs:string" select="'Volume, end of document'"/>

  <!-- ============================================================ lookups -->
  <!-- Header entries (persons, places, organisations) and terms, by xml:id. -->
  <xsl:key name="entry" match="tei:person | tei:place | tei:org | tei:term | tei:handNote
      | tei:div[@xml:id = 'persons']//tei:persName[@xml:id]"
      use="@xml:id"/>
  <xsl:key name="by-id" match="*[@xml:id]" use="@xml:id"/>
  <!-- Mentions in the text of a header entry, by the entry's id (first pointer of @ref or
       @corresp; a name pointing nowhere in the header is rendered as plain text). -->
  <xsl:key name="mention"
      match="tei:text//tei:persName[@ref | @corresp] | tei:text//tei:placeName[@ref | @corresp]
             | tei:text//tei:orgName[@ref | @corresp]"
      use="ed:target(.)"/>

  <xsl:variable name="root" select="/" as="document-node()"/>
  <!-- This page's place in its volume: its neighbours and the volume's index page, or nothing. -->
  <xsl:variable name="edition-place" as="element()?">
    <xsl:variable name="name" select="tokenize(string(document-uri($root)), '/')[last()]"/>
    <xsl:variable name="self" select="if ($edition and $name and doc-available($edition))
        then doc($edition)//ed:document[@source = $name][1] else ()"/>
    <xsl:if test="$self">
      <xsl:variable name="all" select="$self/ancestor::ed:volume[1]//ed:document"/>
      <place index="{$self/ancestor::ed:volume[1]/@href}">
        <xsl:for-each select="$all[. &lt;&lt; $self][last()]">
          <preceding-document href="{@href}" n="{@n}"/>
        </xsl:for-each>
        <xsl:for-each select="$all[. &gt;&gt; $self][1]">
          <following-document href="{@href}" n="{@n}"/>
        </xsl:for-each>
      </place>
    </xsl:if>
  </xsl:variable>
  <xsl:variable name="page-lang" as="xs:string"
      select="(/tei:TEI/@xml:lang, /tei:TEI/tei:text/@xml:lang, $lang)[1]"/>
  <!-- The elements a hand circled: a metamark's target in the text itself, or, where it names a
       header entry, the first mention of that entry outside the notes. -->
  <xsl:variable name="circled" as="element()*">
    <xsl:for-each select="//tei:metamark[@function = 'circle'][@target]">
      <xsl:variable name="id" select="ed:id-of(@target)"/>
      <xsl:variable name="target" select="key('by-id', $id, $root)"/>
      <xsl:sequence select="if ($target/ancestor::tei:text) then $target
          else (key('mention', $id, $root)[not(ancestor::tei:note)], key('mention', $id, $root))[1]"/>
    </xsl:for-each>
  </xsl:variable>

  <xsl:function name="ed:id-of" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="replace(normalize-space(tokenize(normalize-space($pointer), ' ')[1]), '^#', '')"/>
  </xsl:function>

  <!-- The entry a name points to, as its id, or nothing: a person, place or organisation of the
       header (teikit), or a name of a FRUS volume's list of persons (div xml:id="persons"). -->
  <xsl:function name="ed:target" as="xs:string?">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="id" select="ed:id-of(($name/@ref, $name/@corresp)[1])"/>
    <xsl:sequence select="if (key('entry', $id, root($name))[self::tei:person or self::tei:place
        or self::tei:org or self::tei:persName]) then $id else ()"/>
  </xsl:function>

  <!-- "Nixon, Richard M." reads "Richard M. Nixon". -->
  <xsl:function name="ed:natural-order" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="if (contains($name, ', ') and not(contains(substring-after($name, ', '), ',')))
        then substring-after($name, ', ') || ' ' || substring-before($name, ', ')
        else $name"/>
  </xsl:function>

  <xsl:function name="ed:page-id" as="xs:string">
    <xsl:param name="pb" as="element(tei:pb)"/>
    <xsl:sequence select="($pb/@xml:id, $page-id-prefix || $pb/@n)[1]"/>
  </xsl:function>

  <xsl:function name="ed:note-id" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="($note/@xml:id, 'note_' || generate-id($note))[1]"/>
  </xsl:function>

  <!-- Where a mention stands, for the index: "p. 12", "p. 12 n. 3", or "Text" without pages. -->
  <xsl:function name="ed:mention-label" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="page" select="$mention/preceding::tei:pb[1]/@n"/>
    <xsl:variable name="note" select="$mention/ancestor::tei:note[last()]"/>
    <xsl:sequence select="(if ($page) then $label-page-short || ' ' || $page else $label-text)
        || (if ($note) then ' n. ' || ($note/@n, '')[1] else '')"/>
  </xsl:function>

  <xsl:function name="ed:mention-id" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="target" select="ed:target($mention)"/>
    <xsl:sequence select="'m_' || $target || '_'
        || (count(key('mention', $target, root($mention))[. &lt;&lt; $mention]) + 1)"/>
  </xsl:function>

  <xsl:function name="ed:entry-href" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($entry-href-base) then $entry-href-base || $id else '#idx_' || $id"/>
  </xsl:function>

  <xsl:function name="ed:hand-label" as="xs:string">
    <xsl:param name="hand" as="attribute()?"/>
    <xsl:variable name="note" select="key('entry', ed:id-of($hand), root($hand))"/>
    <xsl:variable name="scribe" select="key('entry', ed:id-of($note/@scribeRef), root($hand))"/>
    <xsl:sequence select="if ($scribe/tei:persName) then ed:natural-order(normalize-space($scribe/tei:persName[1]))
        else if ($note/@scribe) then string($note/@scribe) else 'another hand'"/>
  </xsl:function>

  <!-- ============================================================ page -->
  <xsl:template match="/">
    <!-- teikit writes title[@type='main']; the Office of the Historian, title[@type='complete']. -->
    <xsl:variable name="titles" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="title" select="normalize-space(string-join(($titles[@type = 'main'],
        $titles[@type = 'complete'], $titles[not(@type)], $titles)[1]))"/>
    <html lang="{$page-lang}">
      <head>
        <xsl:call-template name="page-head">
          <xsl:with-param name="title" select="if ($title) then $title
              else normalize-space(string-join(//tei:text//tei:head[1]/text()))"/>
        </xsl:call-template>
        <!-- With the neighbour's number, which teikit reads back to know whether the links of a
             page it did not render again still hold. -->
        <xsl:for-each select="$edition-place/preceding-document">
          <link rel="prev" href="{@href}" data-document="{@n}"/>
        </xsl:for-each>
        <xsl:for-each select="$edition-place/following-document">
          <link rel="next" href="{@href}" data-document="{@n}"/>
        </xsl:for-each>
      </head>
      <body>
        <xsl:call-template name="site-header"/>
        <xsl:call-template name="volume-nav"/>
        <nav aria-label="{$label-contents}" class="contents">
          <ul>
            <li><a href="#text">{$label-text}</a></li>
            <xsl:if test="//tei:text//tei:note"><li><a href="#notes">{$label-notes}</a></li></xsl:if>
            <li><a href="#source">{$label-source}</a></li>
            <li><a href="#index">{$label-index}</a></li>
          </ul>
        </nav>
        <main id="main">
          <article id="text" class="document">
            <!-- A text that is not a FRUS document (a monograph, say) takes its h1 from the header. -->
            <xsl:if test="not(//tei:div[@type = 'document'])">
              <h1 class="doc-title">{$title}</h1>
            </xsl:if>
            <!-- A whole TEI file, or a fragment such as a FRUS document div on its own. -->
            <xsl:apply-templates select="if (/tei:TEI) then /tei:TEI/tei:text/tei:body/node() else /*"/>
          </article>
          <xsl:call-template name="notes"/>
          <xsl:call-template name="source-block"/>
          <xsl:call-template name="index"/>
        </main>
        <xsl:call-template name="volume-nav">
          <xsl:with-param name="where" select="'end'"/>
        </xsl:call-template>
        <xsl:call-template name="site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- Overridable: what every page's head holds besides its links: the character set, the
       viewport, the title and the styles. -->
  <xsl:template name="page-head">
    <xsl:param name="title" as="xs:string"/>
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title>{$title}</title>
    <xsl:choose>
      <xsl:when test="$css-href">
        <link rel="stylesheet" href="{$css-href}"/>
      </xsl:when>
      <xsl:otherwise>
        <style>{unparsed-text(resolve-uri('tei-to-html.css', static-base-uri()))}{$extra-css}</style>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Overridable: the way through the volume, above the document and below it: the previous
       document, the volume's contents, the next document. Only a page rendered as part of a
       volume (the edition parameter) has one. -->
  <xsl:template name="volume-nav">
    <xsl:param name="where" as="xs:string" select="'start'"/>
    <xsl:if test="$edition-place">
      <nav class="volume-nav" aria-label="{if ($where = 'start') then $label-volume-nav else $label-volume-nav-end}">
        <ul>
          <xsl:for-each select="$edition-place/preceding-document">
            <li class="previous"><a href="{@href}" rel="prev"><span aria-hidden="true">← </span>{$label-previous} ({@n})</a></li>
          </xsl:for-each>
          <li class="volume-contents"><a href="{$edition-place/@index}">{$label-volume-contents}</a></li>
          <xsl:for-each select="$edition-place/following-document">
            <li class="next"><a href="{@href}" rel="next">{$label-next} ({@n})<span aria-hidden="true"> →</span></a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- Overridable: the banner above the document (series and volume). -->
  <xsl:template name="site-header">
    <xsl:variable name="stmt" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:variable name="series" select="string-join(($stmt/tei:title[@type = 'series'],
        $stmt/tei:title[@type = 'sub-series'], $stmt/tei:title[@type = 'volume-number'],
        $stmt/tei:title[@type = 'volume']) ! normalize-space(.), ', ')"/>
    <header class="site-header">
      <xsl:if test="$series"><p class="series">{$series}</p></xsl:if>
    </header>
  </xsl:template>

  <!-- Overridable: the footer (publication statement). -->
  <xsl:template name="site-footer">
    <xsl:variable name="pub" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <footer class="site-footer">
      <p>
        <xsl:value-of select="string-join(($pub/tei:publisher, $pub/tei:pubPlace, $pub/tei:date) ! normalize-space(.), ', ')"/>
        <xsl:if test="$pub/tei:availability">. {normalize-space($pub/tei:availability)}</xsl:if>
      </p>
    </footer>
  </xsl:template>

  <!-- ============================================================ text structure -->
  <xsl:template match="tei:div">
    <section class="div div-{(@type, 'section')[1]}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- The document's own title is the page's one h1; other heads are h2. Handwriting placed at
       the top stands above the title, where it stands on the page. -->
  <xsl:template match="tei:div[@type = 'document'][not(preceding::tei:div[@type = 'document']
      or ancestor::tei:div[@type = 'document'])]/tei:head[1]">
    <xsl:call-template name="annotations">
      <xsl:with-param name="adds" select="../tei:opener//tei:add[@hand][@place = 'top']"/>
    </xsl:call-template>
    <h1 class="doc-title"><xsl:apply-templates/></h1>
  </xsl:template>
  <xsl:template match="tei:head">
    <h2><xsl:apply-templates/></h2>
  </xsl:template>

  <!-- HTML's p holds phrasing only: a TEI paragraph holding a block (a quoted paragraph, a
       list, a table) becomes a div, so that the page parses as written. -->
  <xsl:template match="tei:p">
    <xsl:choose>
      <xsl:when test="ed:has-blocks(.)"><div class="p"><xsl:apply-templates/></div></xsl:when>
      <xsl:otherwise><p><xsl:apply-templates/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="ed:has-blocks" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- Notes are rendered at the end, so blocks inside them do not count. -->
    <xsl:sequence select="exists($e//(tei:p | tei:list | tei:table | tei:lg | tei:floatingText
        | tei:figure | tei:div) except $e//tei:note//*)"/>
  </xsl:function>

  <xsl:template match="tei:list[@type = 'subject']">
    <p class="subject"><span class="visually-hidden">{$label-subject}: </span>
      <xsl:for-each select="tei:item">
        <xsl:if test="position() > 1">; </xsl:if>
        <xsl:apply-templates/>
      </xsl:for-each>
    </p>
  </xsl:template>
  <xsl:template match="tei:list">
    <ul class="list"><xsl:apply-templates/></ul>
  </xsl:template>
  <xsl:template match="tei:item">
    <li><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer">
    <div class="{local-name()}"><xsl:apply-templates/></div>
  </xsl:template>
  <xsl:template match="tei:dateline">
    <p class="dateline"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:signed | tei:salute">
    <p class="{local-name()}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="tei:label[@type = 'run-in']">
    <span class="run-in"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:hi[@rend = 'italic'] | tei:emph | tei:title[ancestor::tei:text]">
    <i><xsl:apply-templates/></i>
  </xsl:template>
  <xsl:template match="tei:hi[@rend = 'strong' or @rend = 'bold']">
    <b><xsl:apply-templates/></b>
  </xsl:template>
  <xsl:template match="tei:hi[@rend = 'superscript']">
    <sup><xsl:apply-templates/></sup>
  </xsl:template>
  <xsl:template match="tei:quote[not(@rend = 'block')][not(ed:has-blocks(.))]">
    <span class="quote"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:quote[@rend = 'block' or ed:has-blocks(.)]">
    <blockquote><xsl:apply-templates/></blockquote>
  </xsl:template>
  <xsl:template match="tei:lb"><br/></xsl:template>
  <!-- Handwriting at the top of a document stands above its title (see the head template);
       elsewhere it stays where the encoder put it. -->
  <xsl:template match="tei:add[@hand][@place = 'top'][ancestor::tei:opener]" priority="2"/>
  <xsl:template match="tei:add[@hand]">
    <xsl:call-template name="annotations"><xsl:with-param name="adds" select="."/></xsl:call-template>
  </xsl:template>

  <!-- ============================================================ pages -->
  <!-- Overridable: what the margin shows at a page break. -->
  <xsl:template name="page-label">
    <xsl:param name="pb" as="element(tei:pb)"/>
    <xsl:text>[{$label-page} {$pb/@n}]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:pb">
    <a class="pb" id="{ed:page-id(.)}" href="#{ed:page-id(.)}">
      <xsl:call-template name="page-label"><xsl:with-param name="pb" select="."/></xsl:call-template>
    </a>
  </xsl:template>

  <!-- ============================================================ notes -->
  <xsl:template match="tei:note[ancestor::tei:text]">
    <xsl:variable name="id" select="ed:note-id(.)"/>
    <xsl:variable name="n" select="(@n, string(count(preceding::tei:note[ancestor::tei:text]) + 1))[1]"/>
    <a class="noteref" id="ref_{$id}" href="#{$id}" role="doc-noteref"
        aria-label="{$label-note} {$n}"><sup>{$n}</sup></a>
  </xsl:template>

  <xsl:template name="notes">
    <xsl:variable name="notes" select="/tei:TEI/tei:text/tei:body//tei:note[not(ancestor::tei:note)]"/>
    <xsl:if test="$notes">
      <section id="notes" class="notes" aria-labelledby="notes-heading" role="doc-endnotes">
        <h2 id="notes-heading">{$label-notes}</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id" select="ed:note-id(.)"/>
            <li id="{$id}" role="doc-endnote">
              <span class="note-n">{(@n, position())[1]}. </span>
              <xsl:apply-templates/>
              <xsl:text> </xsl:text>
              <a class="backref" href="#ref_{$id}" role="doc-backlink">↩ <span class="backref-label">{$label-back-to-text}</span></a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ names, terms, dates -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName">
    <xsl:variable name="target" select="ed:target(.)"/>
    <xsl:variable name="is-circled" select="exists($circled[. is current()])"/>
    <xsl:variable name="kind" select="substring-before(local-name(), 'Name')"/>
    <xsl:choose>
      <xsl:when test="$target and ancestor::tei:text and not(ancestor::*[ed:is-linked-name(.)])">
        <a class="name {$kind}{if ($is-circled) then ' circled' else ''}" href="{ed:entry-href($target)}"
            id="{ed:mention-id(.)}">
          <xsl:apply-templates/>
          <xsl:if test="$is-circled"><span class="visually-hidden"> ({$label-circled})</span></xsl:if>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="name {$kind}"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="ed:is-linked-name" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="($e/self::tei:persName or $e/self::tei:placeName or $e/self::tei:orgName)
        and exists(ed:target($e))"/>
  </xsl:function>

  <xsl:template match="tei:roleName">
    <span class="role"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Abbreviations: teikit's abbr[@corresp], FRUS's gloss[@target], both pointing to a term. -->
  <xsl:template match="tei:abbr | tei:gloss[@target][ancestor::tei:text]">
    <xsl:variable name="term" select="key('entry', ed:id-of((@corresp, @target)[1]))[self::tei:term]"/>
    <xsl:variable name="expansion" select="normalize-space(($term/following-sibling::tei:gloss[1],
        $term/../tei:gloss[1], @expan)[1])"/>
    <abbr>
      <xsl:if test="$expansion"><xsl:attribute name="title" select="$expansion"/></xsl:if>
      <xsl:apply-templates/>
    </abbr>
  </xsl:template>

  <xsl:template match="tei:date[@when]">
    <time datetime="{@when}"><xsl:apply-templates/></time>
  </xsl:template>
  <xsl:template match="tei:date">
    <span class="date"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- A date the text does not print (teikit: an empty date pointing to the document's date),
       or one the editors inferred (@resp with @cert), shows in brackets, marked as inferred and
       linked to the reasoning. -->
  <xsl:template match="tei:dateline//tei:date[@cert or @resp or ancestor::tei:dateline/@resp]" priority="2">
    <xsl:variable name="stated" select="key('by-id', ed:id-of(@corresp))"/>
    <xsl:variable name="shown" select="normalize-space(if (normalize-space(.)) then . else $stated)"/>
    <xsl:variable name="reasoning" select="key('by-id', ed:id-of(($stated/@ana, @ana)[1]))"/>
    <span class="inferred">
      <xsl:text>[</xsl:text>
      <xsl:choose>
        <xsl:when test="@when"><time datetime="{@when}">{$shown}</time></xsl:when>
        <xsl:otherwise>{$shown}</xsl:otherwise>
      </xsl:choose>
      <xsl:text>]</xsl:text>
    </span>
    <span class="inference-mark"> ({$label-inferred}<xsl:if test="$reasoning">: <a href="#dating">{$label-inference-link}</a></xsl:if>)</span>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <span class="supplied" title="{$label-supplied}{if (@reason) then ' (' || translate(@reason, '-', ' ') || ')' else ''}"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:ptr[@target]">
    <xsl:variable name="target" select="key('by-id', ed:id-of(@target))"/>
    <xsl:choose>
      <xsl:when test="$target/self::tei:note">
        <a href="#{ed:note-id($target)}">{$label-note} {$target/@n}</a>
      </xsl:when>
      <xsl:otherwise><a href="{@target}">{@target}</a></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ handwriting -->
  <!-- The handwriting of one hand in one place is one aside: the words in the hand's style, the
       marks (a circle drawn on a name) said in words for screen readers, since sighted readers
       see them drawn where they are, and a link to the note that reports them. -->
  <xsl:template name="annotations">
    <xsl:param name="adds" as="element(tei:add)*"/>
    <xsl:for-each-group select="$adds" group-by="string(@hand) || '|' || string(@place)">
      <xsl:variable name="who" select="ed:hand-label(@hand)"/>
      <aside class="annotation place-{(@place, 'inline')[1]}"
          aria-label="{$label-annotation} {$label-in-the-hand-of} {$who}">
        <span class="visually-hidden">{$label-annotation} {$label-in-the-hand-of} {$who}<xsl:if
            test="@place"> ({@place} of the page)</xsl:if>: </span>
        <xsl:for-each select="current-group()">
          <xsl:variable name="words" select="key('by-id', ed:id-of(@copyOf))"/>
          <span class="hand">
            <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
            <xsl:choose>
              <xsl:when test="$words">{normalize-space($words)}</xsl:when>
              <xsl:otherwise><xsl:apply-templates select="node() except tei:metamark"/></xsl:otherwise>
            </xsl:choose>
            <xsl:for-each select="tei:metamark">
              <xsl:variable name="target" select="key('by-id', ed:id-of(@target))"/>
              <xsl:variable name="named" select="$target/(tei:persName, tei:placeName, tei:orgName)[1]"/>
              <span class="visually-hidden"> ({(@function, 'mark')[1]}<xsl:if test="@function = 'circle'">d</xsl:if>{
                if ($named) then ': ' || ed:natural-order(normalize-space($named))
                else if ($target) then ': ' || normalize-space($target) else ''})</span>
            </xsl:for-each>
          </span>
          <xsl:text> </xsl:text>
        </xsl:for-each>
        <xsl:variable name="notes" select="current-group()/key('by-id', ed:id-of(@corresp))[self::tei:note]"/>
        <xsl:for-each select="$notes">
          <span class="annotation-source">(<a href="#{ed:note-id(.)}">{$label-note} {@n}</a>)</span>
        </xsl:for-each>
      </aside>
    </xsl:for-each-group>
  </xsl:template>

  <!-- ============================================================ source block -->
  <xsl:template name="source-block">
    <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>
    <xsl:variable name="ms" select="$header//tei:msDesc/tei:msIdentifier"/>
    <xsl:variable name="terms" select="$header//tei:keywords[ends-with(@scheme, 'security-classification')]/tei:term"/>
    <xsl:variable name="source-note" select="(key('by-id', ed:id-of($header//tei:msDesc/@corresp)),
        //tei:text//tei:note[@type = 'source'])[1]"/>
    <xsl:variable name="creation-date" select="$header/tei:profileDesc/tei:creation/tei:date[1]"/>
    <xsl:variable name="dating" select="key('by-id', ed:id-of($creation-date/@ana))"/>
    <section id="source" class="source" aria-labelledby="source-heading">
      <h2 id="source-heading">{$label-source}</h2>
      <dl>
        <xsl:for-each select="$ms/tei:repository">
          <dt>{$label-repository}</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$ms/tei:collection">
          <dt>{if (@type = 'series') then $label-series else if (@type = 'subseries') then $label-subseries else $label-collection}</dt>
          <dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$ms/tei:idno">
          <dt>{if (@type = 'box') then $label-box else if (@type = 'folder') then $label-folder else (@type, 'Identifier')[1]}</dt>
          <dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:if test="$terms[@type = 'classification' or not(@type)]">
          <dt>{$label-classification}</dt>
          <dd class="classification">{string-join($terms[@type = 'classification' or not(@type)] ! normalize-space(.), '; ')}</dd>
        </xsl:if>
        <xsl:if test="$terms[@type = 'handling']">
          <dt>{$label-handling}</dt>
          <dd>{string-join($terms[@type = 'handling'] ! normalize-space(.), '; ')}</dd>
        </xsl:if>
        <xsl:if test="$source-note">
          <dt>{$label-source-note}</dt>
          <dd><a href="#{ed:note-id($source-note)}">{$label-note} {$source-note/@n}</a></dd>
        </xsl:if>
        <xsl:if test="$creation-date">
          <dt>{$label-dating}</dt>
          <dd>
            <time datetime="{$creation-date/@when}">{normalize-space($creation-date)}</time>
            <xsl:if test="$creation-date/@cert"> ({$label-inferred})</xsl:if>
            <xsl:if test="$dating"><span id="dating" class="dating">. <xsl:apply-templates select="$dating/node()"/></span></xsl:if>
          </dd>
        </xsl:if>
        <xsl:for-each select="$header/tei:fileDesc/tei:sourceDesc/tei:bibl[1]">
          <dt>{$label-published-in}</dt>
          <dd class="bibl">{normalize-space(.)}</dd>
        </xsl:for-each>
      </dl>
    </section>
  </xsl:template>

  <!-- ============================================================ index -->
  <xsl:template name="index">
    <xsl:variable name="source" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc"/>
    <xsl:variable name="terms" select="/tei:TEI/tei:text//tei:list[@type = 'terms']/tei:item[tei:term[@xml:id]]"/>
    <section id="index" class="index" aria-labelledby="index-heading">
      <h2 id="index-heading">{$label-index}</h2>
      <xsl:call-template name="index-list">
        <xsl:with-param name="heading" select="$label-persons"/>
        <!-- FRUS lists a volume's persons in the text; a page indexes those it mentions. -->
        <xsl:with-param name="entries" select="($source//tei:listPerson/tei:person[@xml:id],
            /tei:TEI/tei:text//tei:div[@xml:id = 'persons']//tei:persName[@xml:id][key('mention', string(@xml:id))])"/>
        <xsl:with-param name="kind" select="'persons'"/>
      </xsl:call-template>
      <xsl:call-template name="index-list">
        <xsl:with-param name="heading" select="$label-places"/>
        <xsl:with-param name="entries" select="$source//tei:listPlace/tei:place[@xml:id]"/>
        <xsl:with-param name="kind" select="'places'"/>
      </xsl:call-template>
      <xsl:call-template name="index-list">
        <xsl:with-param name="heading" select="$label-organisations"/>
        <xsl:with-param name="entries" select="$source//tei:listOrg/tei:org[@xml:id]"/>
        <xsl:with-param name="kind" select="'organisations'"/>
      </xsl:call-template>
      <xsl:if test="$terms">
        <section class="index-terms" aria-labelledby="index-terms">
          <h3 id="index-terms">{$label-terms}</h3>
          <dl>
            <xsl:for-each select="$terms">
              <dt id="idx_{tei:term/@xml:id}"><abbr title="{normalize-space(tei:gloss[1])}">{normalize-space(tei:term)}</abbr></dt>
              <dd>{normalize-space(tei:gloss[1])}</dd>
            </xsl:for-each>
          </dl>
        </section>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template name="index-list">
    <xsl:param name="heading" as="xs:string"/>
    <xsl:param name="entries" as="element()*"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:if test="$entries">
      <section class="index-{$kind}" aria-labelledby="index-{$kind}">
        <h3 id="index-{$kind}">{$heading}</h3>
        <ul>
          <xsl:for-each select="$entries">
            <xsl:sort select="lower-case(normalize-space((tei:persName, tei:placeName, tei:orgName, self::tei:persName)[1]))"/>
            <li id="idx_{@xml:id}">
              <span class="entry-name"><xsl:apply-templates select="." mode="index-entry-name"/></span>
              <xsl:for-each select="tei:note[@type = 'identification'][normalize-space()]">, <span class="identification">{normalize-space(.)}</span></xsl:for-each>
              <xsl:variable name="listed" select="self::tei:persName/normalize-space(replace(string-join(
                  ancestor::tei:item[1]//text()[not(ancestor::tei:persName)] ! string(.)), '^\s*,', ''))"/>
              <xsl:if test="$listed">, <span class="identification">{$listed}</span></xsl:if>
              <xsl:variable name="mentions" select="key('mention', string(@xml:id))"/>
              <xsl:if test="$mentions">
                <span class="mentions"> — {$label-mentions}<xsl:text> </xsl:text>
                  <!-- One link a page (or note), to the first mention there: "p. 1", not "p. 1, p. 1". -->
                  <xsl:for-each-group select="$mentions" group-by="ed:mention-label(.)">
                    <xsl:if test="position() > 1">, </xsl:if>
                    <a href="#{ed:mention-id(.)}">{current-grouping-key()}</a>
                  </xsl:for-each-group>
                </span>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Overridable: how an index entry is named (the header's normalised form by default). -->
  <xsl:template match="*" mode="index-entry-name">
    <xsl:value-of select="normalize-space((tei:persName, tei:placeName, tei:orgName, self::tei:persName)[1])"/>
  </xsl:template>

  <!-- The back matter is rendered in the index; the header not at all. -->
  <xsl:template match="tei:teiHeader | tei:back"/>
</xsl:stylesheet>
