"""What a lesson is once loaded: metadata and ordered steps (plain data, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """A fenced block of lines (commands, checks, hints), with the file line of each."""

    kind: str
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


@dataclass
class Step:
    """One ``## heading`` of a lesson.

    A step narrates (Markdown) and may run commands (lines as typed at the prompt,
    ``@client COMMAND`` and ``:meta`` included); ``parts`` keeps both in file order, so text
    after a ```redis block can explain what the commands just showed. With ``checks`` it is a task: the learner
    acts until every check holds; ``hints``, ``solution`` and ``wrong`` (plausible mistakes the
    tests prove are rejected) come with it.
    """

    title: str
    line: int
    parts: list = field(default_factory=list)           # ("text", markdown) / ("redis", lines)
    commands: list[tuple[int, str]] = field(default_factory=list)
    checks: list = field(default_factory=list)          # parsed Check objects
    hints: list[str] = field(default_factory=list)
    solution: list[tuple[int, str]] = field(default_factory=list)
    wrong: list[list[tuple[int, str]]] = field(default_factory=list)

    @property
    def is_task(self) -> bool:
        return bool(self.checks)

    @property
    def narration(self) -> str:
        return "\n\n".join(text for kind, text in self.parts if kind == "text")


@dataclass
class Lesson:
    name: str            # file stem, e.g. "01-pubsub-basics"
    path: str            # as shown in errors: "lessons/01-pubsub-basics.md"
    number: int
    title: str
    summary: str
    requires: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    clock: int = 1_700_000_000_000
    intro: str = ""
    steps: list[Step] = field(default_factory=list)

    @property
    def tasks(self) -> list[Step]:
        return [s for s in self.steps if s.is_task]

    @property
    def restarts_server(self) -> bool:
        """A ``:restart-server`` line in its steps: the lesson's engine then keeps its data in
        a temporary directory, so the restart brings streams, groups and PELs back."""
        return any(text.split()[:1] == [":restart-server"]
                   for step in self.steps for _, text in step.commands + step.solution)

    def teaches(self) -> set[str]:
        """Upper-case command names used in this lesson's commands and solutions."""
        found = set()
        for step in self.steps:
            for _, text in step.commands + step.solution:
                words = text.split()
                if words and words[0].startswith("@"):
                    words = words[1:]
                if words and not words[0].startswith(":"):
                    found.add(words[0].upper())
        return found
