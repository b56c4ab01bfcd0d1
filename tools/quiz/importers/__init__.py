"""Importers: an instructor's existing GIFT or Moodle XML bank into the YAML bank format.

`quiz import FILE --format gift|moodle -o BANK.yaml` runs `import_file`; every imported
question is marked `needs_passage: true`, which `quiz validate` lists until a passage
quote from the chapter is added.
"""
