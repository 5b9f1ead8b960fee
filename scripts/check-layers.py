#!/usr/bin/env python3
"""Checks that the folders of the library depend on each other in one direction only.

Each folder of Sources/SenderScoreKit sits on a layer (LAYERS below, lowest first). A folder may
use the types of folders on lower layers only: never a folder on its own layer or above. So
there are no cycles between folders, leaf folders (Formatting, Numbers) use nothing else, and
nothing below Report points up at it. Only Random may import the C bridge CGSL, only Output the
bridge to zlib.

A folder "uses" a type when its code names a type declared at the top level of another folder's
files, and a member when it names `Type.member` for a member that another folder's extension
adds to `Type`; comments and the text of string literals are left out (interpolations are code).
Members used without their type's name (`value.member`) cannot be told apart from others of the
same name and are not checked.

    python3 scripts/check-layers.py [Sources/SenderScoreKit]

Exits with 1 and prints each offending use (file:line) when the layering is broken.
"""

import os
import re
import sys

# Lowest first. Folders on one line are independent of each other.
LAYERS = [
    ["Formatting", "Numbers"],
    ["Distributions", "Input"],
    ["Random", "Rules", "Output"],
    ["Scenario", "Summary", "Exact"],
    ["Engine"],
    ["Data", "Validation", "Planning"],
    ["Report"],
]

# Folders that may import these modules.
IMPORTS = {"CGSL": {"Random"}, "Yams": {"Input"}, "CZlib": {"Output"}}

MODIFIERS = r"(?:(?:public|package|internal|fileprivate|private|open|final|indirect|nonisolated)\s+)*"
DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"(?:struct|enum|class|protocol|actor|typealias)\s+([A-Z]\w*)"
)
EXTENSION = re.compile(r"^(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"extension\s+([A-Z]\w*)")
MEMBER = re.compile(
    r"^    (?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"(?:static\s+|class\s+)?(?:func|var|let|init|subscript)\s+(\w+)"
)
IMPORT = re.compile(
    r"^(?:@\w+\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?(\w+)"
)
IDENTIFIER = re.compile(r"\b[A-Z]\w*\b")


def code_only(text):
    """The text with comments and string contents blanked out, lines kept in place."""
    out = []
    i, n = 0, len(text)
    # A stack of contexts: "code" (with its open parenthesis count) or a string ('"' or '"""').
    stack = [["code", 0]]
    while i < n:
        context = stack[-1]
        c = text[i]
        if context[0] == "code":
            if text.startswith("//", i):
                end = text.find("\n", i)
                end = n if end < 0 else end
                i = end
                continue
            if text.startswith("/*", i):
                end = text.find("*/", i + 2)
                end = n if end < 0 else end + 2
                out.append(re.sub(r"[^\n]", " ", text[i:end]))
                i = end
                continue
            if text.startswith('"""', i):
                stack.append(['"""', 0])
                out.append('"""')
                i += 3
                continue
            if c == '"':
                stack.append(['"', 0])
                out.append('"')
                i += 1
                continue
            if c == "(":
                context[1] += 1
            elif c == ")":
                if context[1] == 0 and len(stack) > 1:
                    stack.pop()  # the end of an interpolation: back inside the string
                    out.append(")")
                    i += 1
                    continue
                context[1] -= 1
            out.append(c)
            i += 1
            continue
        # Inside a string literal.
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "(":
                stack.append(["code", 0])
                out.append("\\(")
                i += 2
                continue
            out.append("  ")
            i += 2
            continue
        if context[0] == '"""' and text.startswith('"""', i):
            stack.pop()
            out.append('"""')
            i += 3
            continue
        if context[0] == '"' and c == '"':
            stack.pop()
            out.append('"')
            i += 1
            continue
        out.append("\n" if c == "\n" else " ")
        i += 1
    return "".join(out)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Sources/SenderScoreKit"
    rank = {folder: index for index, layer in enumerate(LAYERS) for folder in layer}
    files = {}
    for folder in sorted(os.listdir(root)):
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            if folder.endswith(".swift"):
                files[path] = "(the library's root)"
            continue
        for directory, _, names in os.walk(path):
            for name in sorted(names):
                if name.endswith(".swift"):
                    files[os.path.join(directory, name)] = folder
    problems = []
    unknown = sorted({folder for folder in files.values() if folder not in rank})
    for folder in unknown:
        if folder == "(the library's root)":
            strays = sorted(path for path, owner in files.items() if owner == folder)
            problems.append(f"{', '.join(strays)}: a file outside the folders; put it in the folder of its concept")
        else:
            problems.append(f"{root}/{folder}: a folder with no layer; add it to LAYERS in {sys.argv[0]}")
    owner = {}
    sources = {}
    for path, folder in files.items():
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        sources[path] = code_only(text)
        for line in sources[path].splitlines():
            match = DECLARATION.match(line)
            if match:
                owner.setdefault(match.group(1), folder)
    # Members that a folder's extensions add to another folder's types: (type, member) -> folder.
    added = {}
    for path, folder in files.items():
        extended = None
        for line in sources[path].splitlines():
            match = EXTENSION.match(line)
            if match:
                extended = match.group(1)
                continue
            if line.startswith("}"):
                extended = None
            member = MEMBER.match(line)
            if extended and member and owner.get(extended) not in (None, folder):
                added.setdefault((extended, member.group(1)), folder)
    for path, folder in sorted(files.items()):
        if folder not in rank:
            continue
        for number, line in enumerate(sources[path].splitlines(), start=1):
            imported = IMPORT.match(line)
            if imported and imported.group(1) in IMPORTS and folder not in IMPORTS[imported.group(1)]:
                problems.append(f"{path}:{number}: imports {imported.group(1)}, which only "
                                f"{', '.join(sorted(IMPORTS[imported.group(1)]))} may import")
            declared = DECLARATION.match(line)
            # A declaration's own name is not a use; what follows it (conformances, constraints,
            # the type a typealias names) is.
            for name in IDENTIFIER.findall(line[declared.end():] if declared else line):
                used = owner.get(name)
                if used is None or used == folder or used not in rank:
                    continue
                if rank[used] >= rank[folder]:
                    problems.append(f"{path}:{number}: {folder} uses {name} from {used}, "
                                    f"which is not on a lower layer")
            for (type_name, member), used in added.items():
                if used != folder and used in rank and rank[used] >= rank[folder] \
                        and re.search(rf"\b{type_name}\.{member}\b", line):
                    problems.append(f"{path}:{number}: {folder} uses {type_name}.{member}, which {used} adds, "
                                    f"and {used} is not on a lower layer")
    if problems:
        print("\n".join(problems))
        print(f"check-layers: {len(problems)} uses break the layering of {root} (see {sys.argv[0]})")
        return 1
    print(f"check-layers: {len(files)} files in {len(set(files.values()))} folders, layered without cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
