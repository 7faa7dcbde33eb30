<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-to-text.xsl: the plain reading text of a TEI document, one block (title, subject,
  paragraph, signature, note) a line.

  Parameter form:
    "as-received" (default): the text in the shape FRUS documents are received in, so that a
      round trip source → teikit convert → this stylesheet can be checked word for word
      against the source: note numbers glued to the word before them, "[Page N]" where a page
      turns, the notes numbered at the end, and nothing the editors added (supplied text,
      inferred datelines, page breaks teikit recorded, handwriting encoded from a note);
    "reading": the text a reader wants: editorial supplements kept, no page markers, no note
      numbers in the text, the notes at the end.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="form" as="xs:string" select="'as-received'"/>
  <xsl:variable name="as-received" select="$form = 'as-received'" as="xs:boolean"/>

  <xsl:template match="/">
    <xsl:if test="not($form = ('as-received', 'reading'))">
      <xsl:message terminate="yes">form must be "as-received" or "reading", not "{$form}"</xsl:message>
    </xsl:if>
    <xsl:apply-templates select="/tei:TEI/tei:text/tei:body" mode="blocks"/>
    <xsl:for-each select="/tei:TEI/tei:text/tei:body//tei:note[not(ancestor::tei:note)]">
      <xsl:text>  {(@n, position())[1]}. </xsl:text>
      <xsl:call-template name="line"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Blocks: a line each. Containers pass through; editorial-only blocks are left out of the
       text as received. -->
  <xsl:template match="*" mode="blocks">
    <xsl:apply-templates select="*" mode="blocks"/>
  </xsl:template>
  <xsl:template match="tei:head | tei:p | tei:item | tei:dateline | tei:signed | tei:salute
      | tei:byline | tei:trailer | tei:l | tei:ab" mode="blocks">
    <xsl:if test="not($as-received and @resp)">
      <xsl:variable name="prefix" select="if (parent::tei:list[@type = 'subject']) then '  • ' else ''"/>
      <xsl:call-template name="line"><xsl:with-param name="prefix" select="$prefix"/></xsl:call-template>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:pb" mode="blocks">
    <xsl:if test="$as-received and not(@resp)">[Page {@n}]&#10;</xsl:if>
  </xsl:template>
  <xsl:template match="tei:add | tei:note | tei:teiHeader | tei:back | tei:figure" mode="blocks"/>

  <xsl:template name="line">
    <xsl:param name="prefix" as="xs:string" select="''"/>
    <xsl:variable name="inline" as="xs:string*">
      <xsl:apply-templates mode="inline"/>
    </xsl:variable>
    <xsl:variable name="text" select="normalize-space(string-join($inline))"/>
    <xsl:if test="$text">{$prefix}{$text}&#10;</xsl:if>
  </xsl:template>

  <!-- Inline: the words, with notes and page breaks as the chosen form has them. -->
  <xsl:template match="text()" mode="inline">
    <xsl:sequence select="string(.)"/>
  </xsl:template>
  <xsl:template match="*" mode="inline">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="inline">
    <xsl:if test="$as-received">
      <xsl:sequence select="string((@n, count(preceding::tei:note[ancestor::tei:body]) + 1)[1])"/>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:pb" mode="inline">
    <xsl:variable name="space" select="if (@break = 'no') then '' else ' '"/>
    <xsl:if test="$as-received and not(@resp)">{$space}[Page {@n}]{$space}</xsl:if>
  </xsl:template>
  <xsl:template match="tei:lb" mode="inline"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:supplied | tei:add | tei:metamark" mode="inline">
    <xsl:if test="not($as-received)"><xsl:apply-templates mode="inline"/></xsl:if>
  </xsl:template>
  <!-- A date the text does not print (teikit writes it empty, pointing to the document's date). -->
  <xsl:template match="tei:date[@resp and not(normalize-space())]" mode="inline"/>
</xsl:stylesheet>
