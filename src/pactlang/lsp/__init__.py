"""The language server of ``.pact`` files (``pact lsp``), built on pygls.

The features are split by concern; only :mod:`.server`, :mod:`.convert`,
:mod:`.symbols` and :mod:`.actions` import pygls or lsprotocol (the optional
``lsp`` extra), the others work on pactlang's own types:

* :mod:`.positions`   offsets ↔ LSP positions (UTF-16, UTF-8, UTF-32)
* :mod:`.document`    one analysed version of a document (``pact check``'s front end)
* :mod:`.index`       symbols and the occurrences of their names
* :mod:`.hover`       what a name is: type, labels, definition, formula in words
* :mod:`.completion`  keywords in context, names, parties, statuses
* :mod:`.navigation`  definition, references and rename across a contract's test files
* :mod:`.symbols`     the outline
* :mod:`.actions`     quick fixes and formatting
* :mod:`.convert`     pactlang values → LSP types
* :mod:`.server`      the pygls server and its handlers
"""
