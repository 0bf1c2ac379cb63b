"""click's own words in Chinese: "Usage:", "Options", "Error: …", "Show this message and exit."

click looks its messages up through ``gettext`` (each of its modules binds ``_`` and ``ngettext``
at import), and gettext picks a catalogue from the LANG variables, which a Windows machine in a
Chinese office does not set. :func:`install` rebinds those names in click's modules to a lookup
in :data:`MESSAGES`; a message not listed stays as click wrote it (still correct, in English).
The keys are click 8's message ids; a future click that rewords one only loses its translation.
"""
from __future__ import annotations

import importlib

#: click's message id -> Chinese (the same {placeholders})
MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有子命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Aborted!": "已取消。",
    "Do you want to continue?": "是否继续？",
    "Error: invalid input": "错误：输入无效",
    "default: {default}": "默认：{default}",
    "required": "必填",
    # "file", "directory", "path" stay English: they are also the metavars (FILE), which click
    # aligns by character count; the messages below do without them
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 无法读取（没有权限）。",
    "{name} {filename!r} is not writable.": "{filename!r} 无法写入（没有权限）。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    # the number type's name (integer, integer range, float) is click's English: left out
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "unknown error": "未知错误",
}
#: plural forms: (singular id, plural id) -> Chinese (one form)
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        "多余的参数（{args}）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name!r} 需要 {nargs} 个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        "{value!r} 不是可选值之一：{choices}。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "（是不是想用：{possibilities}？）",
}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types",
            "utils")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    text = PLURALS.get((singular, plural))
    if text is None:
        return singular if n == 1 else plural
    if "{choices}" in text and "{choice}" in singular and n == 1:
        text = text.replace("{choices}", "{choice}")
    if "{possibilities}" in text and n == 1:
        text = text.replace("{possibilities}", "{possibility}")
    if "{nargs}" in text and "{nargs}" not in singular and n == 1:
        text = text.replace("{nargs} 个值", "一个值")
    return text


def install() -> None:
    """Make click speak Chinese in this process."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
