#!/usr/bin/env python3
"""The real littlefs (littlefs-python, pinned in scripts/test) as an interop peer for the LittleFS tests.

  littlefs_peer.py mutate CONFIG.json IMAGE OUT SEED   mount IMAGE at the device configuration, list and read
                                                        every file, then write/append/delete/rename files
                                                        (seeded), unmount, save OUT; prints JSON
                                                        {"before": listing, "after": listing, "operations": n}
  littlefs_peer.py create CONFIG.json TREE.json OUT     format an image and write the files of TREE.json
                                                        (path, hex content, optional 't'), print its listing
A listing is a list of {"path", "kind", "size", "sha256", "attrs": {"t": hex, "c": hex}} in littlefs order.
"""
import hashlib, json, random, sys
from littlefs import LittleFS, UserContext


def mount(config, buffer, mount=True):
    kwargs = {k: config[k] for k in ("block_size", "block_count", "read_size", "prog_size", "cache_size",
                                     "lookahead_size", "name_max", "block_cycles") if k in config}
    if "disk_version" in config:
        kwargs["disk_version"] = config["disk_version"]
    context = UserContext(buffer=buffer)
    return LittleFS(context=context, mount=mount, **kwargs)


def attrs(fs, path):
    found = {}
    for key in ("c", "t"):
        try:
            found[key] = bytes(fs.getattr(path, key)).hex()
        except Exception:
            pass
    return found


def listing(fs):
    rows = [{"path": "/", "kind": "root", "size": 0, "sha256": "", "attrs": attrs(fs, "/")}]

    def walk(directory):
        for entry in fs.scandir(directory):
            path = (directory.rstrip("/") + "/" + entry.name)
            if entry.type == 2:
                rows.append({"path": path, "kind": "dir", "size": 0, "sha256": "", "attrs": attrs(fs, path)})
                walk(path)
            else:
                with fs.open(path, "rb") as f:
                    data = f.read()
                rows.append({"path": path, "kind": "file", "size": len(data),
                             "sha256": hashlib.sha256(data).hexdigest(), "attrs": attrs(fs, path)})
    walk("/")
    return rows


def mutate(config, image, out, seed):
    buffer = bytearray(open(image, "rb").read())
    fs = mount(config, buffer)
    before = listing(fs)
    rng = random.Random(seed)
    files = [r["path"] for r in before if r["kind"] == "file"]
    ops = 0
    for step in range(12):
        choice = rng.random()
        if choice < 0.35 or not files:
            directory = rng.choice(["/", "/new", "/new/sub"] + [p.rsplit("/", 1)[0] or "/" for p in files[:3]])
            if directory != "/":
                try:
                    fs.makedirs(directory, exist_ok=True)
                except Exception:
                    pass
            path = directory.rstrip("/") + "/peer_%d_%d.bin" % (seed % 1000, step)
            size = rng.choice([0, 1, 40, 300, 700, config["block_size"] - 1, config["block_size"] + 9, 3 * config["block_size"]])
            with fs.open(path, "wb") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(size)))
            fs.setattr(path, "t", (1767312000 + step).to_bytes(8, "little"))
            files.append(path)
        elif choice < 0.55:
            path = files.pop(rng.randrange(len(files)))
            fs.remove(path)
        elif choice < 0.8:
            path = rng.choice(files)
            with fs.open(path, "ab") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 33, 500]))))
        else:
            path = files.pop(rng.randrange(len(files)))
            target = "/renamed_%d" % step
            fs.rename(path, target)
            files.append(target)
        ops += 1
        if step % 4 == 3:
            fs.unmount()
            fs.mount()
    after = listing(fs)
    fs.unmount()
    open(out, "wb").write(buffer)
    print(json.dumps({"before": before, "after": after, "operations": ops}))


def create(config, tree, out):
    size = config["block_size"] * config["block_count"]
    buffer = bytearray(b"\xff" * size)
    fs = mount(config, buffer, mount=False)
    fs.format()
    fs.mount()
    for item in json.load(open(tree)):
        path = item["path"]
        parent = path.rsplit("/", 1)[0]
        if parent:
            fs.makedirs(parent, exist_ok=True)
        with fs.open(path, "wb") as f:
            f.write(bytes.fromhex(item["content"]))
        if "t" in item:
            fs.setattr(path, "t", int(item["t"]).to_bytes(8, "little"))
    rows = listing(fs)
    fs.unmount()
    open(out, "wb").write(buffer)
    print(json.dumps(rows))


if __name__ == "__main__":
    config = json.load(open(sys.argv[2]))
    if sys.argv[1] == "mutate":
        mutate(config, sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == "create":
        create(config, sys.argv[3], sys.argv[4])
    else:
        sys.exit("unknown command " + sys.argv[1])
