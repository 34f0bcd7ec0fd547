#!/usr/bin/env python3
"""Ten events rescored at once, for bench/scale-out/run.sh.

  rescore.py setup BASE_URL TOKEN N     creates events scale-01..N, each a copy of the sample expo (busan-2026's
                                        event.json, buyers, demands and SMEs imported through the API), and waits for
                                        the imports and the rescoring they ask for
  rescore.py run BASE_URL TOKEN N       asks for a rescoring of each of them at the same moment, waits for every job,
                                        prints one JSON line: makespan (first request to last job finished), the mean
                                        and longest job, and the states
Only the standard library; the API is reached over loopback.
"""
import json
import sys
import threading
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "busan-2026"


def call(base, token, method, path, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=120) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def camel(value):
    if isinstance(value, dict):
        return {("".join(w if i == 0 else w.capitalize() for i, w in enumerate(k.split("_"))) if "_" in k and k[0].islower() else k): camel(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def wait_job(base, token, job_id, seconds=600):
    deadline = time.time() + seconds
    while True:
        job = call(base, token, "GET", "/api/jobs/" + job_id)
        if job["state"] in ("succeeded", "failed"):
            return job
        if time.time() > deadline:
            raise TimeoutError("job %s still %s" % (job_id, job["state"]))
        time.sleep(0.1)


def upload(base, token, event_id, kind):
    boundary = uuid.uuid4().hex
    content = (SAMPLE / (kind + ".csv")).read_bytes()
    body = (("--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n%s\r\n" % (boundary, kind)).encode()
            + ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s.csv\"\r\nContent-Type: text/csv\r\n\r\n"
               % (boundary, kind)).encode() + content + ("\r\n--%s--\r\n" % boundary).encode())
    started = call(base, token, "POST", "/api/events/%s/imports" % event_id, body, "multipart/form-data; boundary=" + boundary)
    job = wait_job(base, token, started["jobId"])
    if job["state"] != "succeeded":
        raise RuntimeError("import of %s into %s: %s" % (kind, event_id, job))


def event_ids(n):
    return ["scale-%02d" % (i + 1) for i in range(n)]


def setup(base, token, n):
    definition = camel(json.loads((SAMPLE / "event.json").read_text(encoding="utf-8")))
    errors = []

    def one(event_id):
        try:
            call(base, token, "POST", "/api/events", dict(definition, eventId=event_id, name=definition["name"] + " " + event_id))
            for kind in ("buyers", "demands", "smes"):
                upload(base, token, event_id, kind)
        except Exception as e:  # reported below, the run stops
            errors.append("%s: %s" % (event_id, e))

    threads = [threading.Thread(target=one, args=(e,)) for e in event_ids(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit("setup failed: " + "; ".join(errors))
    # Each import asks for a rescoring after the debounce (2 s): let those run before anything is measured.
    for event_id in event_ids(n):
        job = call(base, token, "POST", "/api/events/%s/rescoring" % event_id)
        wait_job(base, token, job["jobId"])


def parse(instant):
    return datetime.fromisoformat(instant.replace("Z", "+00:00"))


def run(base, token, n):
    jobs = {}
    barrier = threading.Barrier(n)
    start = time.time()

    def one(event_id):
        barrier.wait()
        jobs[event_id] = call(base, token, "POST", "/api/events/%s/rescoring" % event_id)["jobId"]

    threads = [threading.Thread(target=one, args=(e,)) for e in event_ids(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = [wait_job(base, token, j) for j in jobs.values()]
    wall = time.time() - start
    durations = [(parse(j["finishedAt"]) - parse(j["startedAt"])).total_seconds() for j in done if j.get("startedAt") and j.get("finishedAt")]
    makespan = (max(parse(j["finishedAt"]) for j in done) - min(parse(j["createdAt"]) for j in done)).total_seconds()
    print(json.dumps({
        "events": n, "makespan_s": round(makespan, 2), "wall_s": round(wall, 2),
        "mean_job_s": round(sum(durations) / len(durations), 2), "longest_job_s": round(max(durations), 2),
        "states": sorted(set(j["state"] for j in done)),
        "failures": [j["message"] for j in done if j["state"] != "succeeded"],
    }, ensure_ascii=False))


if __name__ == "__main__":
    command, base, token, n = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], int(sys.argv[4])
    {"setup": setup, "run": run}[command](base, token, n)
