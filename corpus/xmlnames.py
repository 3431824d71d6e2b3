"""Names of the XML namespace itself, shared by every XML format mtmend reads or writes (TMX, TBX).

>>> XML_LANG
'{http://www.w3.org/XML/1998/namespace}lang'
"""

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"  # ``xml:lang`` as lxml names it
