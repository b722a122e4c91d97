"""Hand work to the workers: the client stores every original first (so nothing is lost and
no worker needs the client's disk), then asks Prefect for runs of the `ingest` deployment,
a chunk of files per run, which any worker of the pool picks up."""

from __future__ import annotations

from efile.context import get_context
from efile.errors import EfileError
from efile.services import runs

from .flows import check_efile, expand_inputs
from .steps.store import receive, stored_ref

DEPLOYMENT = "ingest/ingest"


def store_inputs(paths: list[str]) -> tuple[list[str], list[dict]]:
    """Stored-original references for the files, and the files that could not even be read."""
    ctx = get_context()
    refs, failed = [], []
    for path in expand_inputs(paths):
        try:
            r = receive(ctx.store, path)
        except EfileError as e:
            failed.append({"path": path, "status": "failed", "error": str(e)})
            continue
        refs.append(stored_ref(r.sha256, r.name))
    return refs, failed


def submit(paths: list[str], *, efile: str | None = None, chunk: int = 8,
           source: str = "scan", deployment: str = DEPLOYMENT) -> dict:
    from prefect.deployments import run_deployment

    check_efile(efile)
    refs, failed = store_inputs(paths)
    flow_runs = []
    for i in range(0, len(refs), max(1, chunk)):
        part = refs[i:i + chunk]
        fr = run_deployment(deployment, parameters={"paths": part, "efile": efile,
                                                    "source": source}, timeout=0)
        flow_runs.append({"flow_run_id": str(fr.id), "name": fr.name, "files": len(part)})
    return {"stored": len(refs), "flow_runs": flow_runs, "failed": failed}


def retry_inputs(run_id: str | None) -> tuple[list[str], str | None]:
    """The failed files of a run as inputs again: their stored original where it was kept,
    else the file where it still lies (it was left untouched)."""
    run = runs.get_run(get_context().db, run_id)
    inputs = []
    for item in run["items"]:
        if item["status"] != "failed":
            continue
        if item["original_sha256"]:
            inputs.append(stored_ref(item["original_sha256"], item["path"].rsplit("/", 1)[-1]))
        else:
            inputs.append(item["path"])
    return inputs, run["efile"]
