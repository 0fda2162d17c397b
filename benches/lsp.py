#!/usr/bin/env python3
"""Replays a scripted editor session against `okr lsp` over stdio and prints
the figures of issue 21's speed targets (see benches/lsp.sh, which builds the
binary and the organisation and runs this):

    benches/lsp.py OKR FOLDER [FILE] [--runs N]

1. start → the workspace read and checked: from starting the server to the
   answer of the first request sent after `initialized` (the server checks
   the whole workspace and publishes its diagnostics before it reads it);
2. a one-line edit → its diagnostics published: FILE opened, then one
   check-in value changed per `didChange` (full text), timed to the
   `publishDiagnostics` for FILE, N times;
3. hover on a KR id, definition on an `aligns` reference, and completion
   inside it, N times each;
4. the server's peak resident memory (VmHWM).

Medians are printed; wall-clock times on a shared machine vary, so they are
figures to compare, not pass or fail. Python 3, standard library only.
"""
import json, os, re, statistics, subprocess, sys, time

args = [a for a in sys.argv[1:] if not a.startswith("--")]
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 100
if "--runs" in sys.argv:
    args.remove(str(runs))
okr, folder = args[0], os.path.abspath(args[1])
name = args[2] if len(args) > 2 else sorted(f for f in os.listdir(folder) if f.endswith(".okr"))[len(os.listdir(folder)) // 2]
path = os.path.join(folder, name)
uri = "file://" + path
text = open(path).read()
lines = text.split("\n")

started = time.perf_counter()
server = subprocess.Popen([okr, "lsp", "--today", "2026-08-15"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    length = 0
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def request(method, params):
    global next_id
    next_id += 1
    send({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params})
    while True:
        message = receive()
        if message.get("id") == next_id:
            if "error" in message:
                sys.exit(f"{method}: {message['error']}")
            return message.get("result")


def notify(method, params):
    send({"jsonrpc": "2.0", "method": method, "params": params})


def published(for_uri):
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == for_uri:
            return message["params"]["diagnostics"]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


root = "file://" + folder
request("initialize", {"capabilities": {}, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "org"}]})
notify("initialized", {})
request("workspace/symbol", {"query": "\u0000"})
print(f"files: {len(os.listdir(folder))}; edited file: {name}; {runs} runs each")
print(f"start → workspace checked, diagnostics published: {ms(time.perf_counter() - started)}")

notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "okr", "version": 1, "text": text}})
published(uri)

checkin = next(i for i, line in enumerate(lines) if re.match(r"^\s+\d{4}-\d\d-\d\d \d", line))
edits = []
for run in range(runs):
    changed = list(lines)
    changed[checkin] = re.sub(r"(\d{4}-\d\d-\d\d )(\d+)", lambda m: m.group(1) + str(int(m.group(2).replace(",", "")) + run + 1), lines[checkin], count=1)
    began = time.perf_counter()
    notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": run + 2}, "contentChanges": [{"text": "\n".join(changed)}]})
    published(uri)
    edits.append(time.perf_counter() - began)
print(f"one-line edit → diagnostics published: median {ms(statistics.median(edits))}, max {ms(max(edits))}")


def position_of(pattern, group):
    for number, line in enumerate(lines):
        match = re.search(pattern, line)
        if match:
            return {"line": number, "character": match.start(group) + 1}
    sys.exit(f"no line matches {pattern}")


for method, at, extra in [
    ("textDocument/hover", position_of(r"^\s+kr (\S+)", 1), {}),
    ("textDocument/definition", position_of(r"^\s+aligns \S+/(\S+)", 1), {}),
    ("textDocument/completion", position_of(r"^\s+aligns \S+/(\S+)", 1), {}),
]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        answer = request(method, {"textDocument": {"uri": uri}, "position": at, **extra})
        times.append(time.perf_counter() - began)
    assert answer, f"{method} found nothing at {at}"
    print(f"{method.split('/')[1]}: median {ms(statistics.median(times))}")

with open(f"/proc/{server.pid}/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
print(f"server peak memory: {int(peak) // 1024} MB", flush=True)
request("shutdown", None)
notify("exit", None)
server.wait(timeout=30)
