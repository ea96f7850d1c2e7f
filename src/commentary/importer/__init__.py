"""``commentary import``: a published article (plain text, Markdown or a saved web page)
with numbered notes becomes a page in the content model and its .bib, losing nothing.

The stages, one module each:

- reading: bytes -> text (encoding, BOM, line ends, binary and size checks)
- layout: text -> title, paragraphs, subheadings, note lists, trailing text
- markers: which numbers in the running text are note markers (decided with the notes)
- urls, dates: URLs and dates as they are written in notes
- citations: the sources inside one note -> BibTeX drafts and the note's new text
- keys: archive-wide unique, prefix-free keys
- html_input, markdown_input: the other two input forms, mapped to the same model
- assemble: the page, the .bib and the report for one input
- fidelity: re-reads what was written and proves every word and URL is there
- command: the CLI subcommand
"""
