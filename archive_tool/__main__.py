from archive_tool.cli import main

main(prog_name="archive-tool")
