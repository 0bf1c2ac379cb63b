"""The records of the undo log as data: operations, transactions, what an undo did."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ARCHIVE_DIR = ".archive"
LOG_NAME = "undo.log"
BACKUP_DIR = "undo"
#: a transaction begun and never ended (interrupted), an undo begun and never ended
INTERRUPTED = ("incomplete", "undoing")
_ENDS = {"commit": "committed", "rollback": "rolled_back", "undo-begin": "undoing",
         "undo": "undone"}


@dataclass(frozen=True)
class Operation:
    """One recorded change. Paths are posix and relative to the archive root."""

    kind: str  # modify | create | rename
    path: str  # the file (for a rename: the new name)
    src: str | None = None  # a rename's old name
    backup: str | None = None  # the original bytes, relative to the root

    def to_dict(self) -> dict:
        return {"kind": self.kind, "path": self.path, "src": self.src}


@dataclass(frozen=True)
class Transaction:
    """One transaction of the log and its state: committed, undone, rolled_back, incomplete
    (interrupted) or undoing (its undo was interrupted)."""

    txid: str
    label: str
    time: str
    status: str
    operations: tuple[Operation, ...]
    after: dict[int, str | None] = field(default_factory=dict)
    #: index -> the content written (``wrote`` events), for an interrupted transaction
    wrote: dict[int, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"txid": self.txid, "label": self.label, "time": self.time, "status": self.status,
                "operations": [op.to_dict() for op in self.operations]}


@dataclass(frozen=True)
class UndoResult:
    """What ``undo_last`` reverted, in the order it did it."""

    txid: str
    label: str
    time: str
    reverted: tuple[Operation, ...]
    #: True when the transaction had been interrupted (or its undo had)
    interrupted: bool = False
    #: what was left as it is, in words (a file changed since an interrupted change)
    left: tuple[str, ...] = ()


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_history(records: list[dict]) -> list[Transaction]:
    """The transactions of the log's records, oldest first. An operation marked ``skip`` (not
    done) is left out; the others are numbered from 0 in the order recorded."""
    found: dict[str, dict] = {}
    for record in records:
        event, txid = record.get("event"), record["txid"]
        if event == "begin":
            found[txid] = {"label": record.get("label", ""), "time": record.get("time", ""),
                           "status": "incomplete", "ops": {}, "after": {}, "wrote": {}}
            continue
        tx = found.get(txid)
        if tx is None:
            continue
        try:
            _apply(tx, event, record)
        except (KeyError, TypeError, ValueError):
            continue  # a damaged record: the rest of the log still counts
    out = []
    for txid, tx in found.items():
        order = sorted(tx["ops"])
        renumber = {old: new for new, old in enumerate(order)}
        out.append(Transaction(
            txid, tx["label"], tx["time"], tx["status"], tuple(tx["ops"][i] for i in order),
            {renumber[i]: v for i, v in tx["after"].items() if i in renumber},
            {renumber[i]: v for i, v in tx["wrote"].items() if i in renumber}))
    return out


def _apply(tx: dict, event: str, record: dict) -> None:
    if event == "op":
        tx["ops"][int(record["index"])] = Operation(
            record["kind"], record["path"], record.get("src"), record.get("backup"))
    elif event == "wrote":
        tx["wrote"][int(record["index"])] = record["sha256"]
    elif event == "skip":
        tx["ops"].pop(int(record["index"]), None)
    elif event in _ENDS:
        tx["status"] = _ENDS[event]
        if event == "commit":
            tx["after"] = {int(k): v for k, v in record.get("after", {}).items()}


def final_path(operations: tuple[Operation, ...] | list[Operation], index: int) -> str:
    """Where the file of operation ``index`` is after the later renames of the transaction."""
    path = operations[index].path
    for op in operations[index + 1:]:
        if op.kind == "rename" and op.src == path:
            path = op.path
    return path
