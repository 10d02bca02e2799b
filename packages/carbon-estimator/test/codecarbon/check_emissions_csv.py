"""CodeCarbon reads wattformer's emissions.csv with its own schema and writer.

Usage: python check_emissions_csv.py EXACT_CSV EXTRAS_CSV
  EXACT_CSV   written with CodeCarbon's columns only (`--no-extra-columns`);
  EXTRAS_CSV  written with our default extra columns after CodeCarbon's.

For both files: pandas.read_csv (what CodeCarbon's FileOutput uses in "update" mode) reads them,
every field of CodeCarbon's EmissionsData dataclass is a column, and each row builds an
EmissionsData. For EXACT_CSV, CodeCarbon's FileOutput.has_valid_headers accepts the header and
FileOutput.out appends a CodeCarbon row to the file without backing it up. Prints one JSON
line; exits 1 on any failure.
"""

import dataclasses
import importlib.util
import json
import os
import sys
import types


def import_codecarbon_output():
    # codecarbon/__init__.py imports the whole tracker (and its many dependencies); the CSV
    # schema and writer need none of it, so register the package without running __init__.
    spec = importlib.util.find_spec("codecarbon")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("codecarbon is not installed in this interpreter: run bash scripts/setup.sh")
    package = types.ModuleType("codecarbon")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["codecarbon"] = package
    from codecarbon._version import __version__
    from codecarbon.output_methods.emissions_data import EmissionsData
    from codecarbon.output_methods.file import FileOutput

    return __version__, EmissionsData, FileOutput


def typed_row(EmissionsData, row):
    values = {}
    for field in dataclasses.fields(EmissionsData):
        raw = row[field.name]
        if field.type in (float, "float"):
            values[field.name] = 0.0 if raw is None or raw != raw else float(raw)
        else:
            values[field.name] = "" if raw is None or raw != raw else str(raw)
    return EmissionsData(**values)


def check(path, exact, version, EmissionsData, FileOutput, pd):
    df = pd.read_csv(path)
    expected = [f.name for f in dataclasses.fields(EmissionsData)]
    missing = [name for name in expected if name not in df.columns]
    extra = [name for name in df.columns if name not in expected]
    rows = [typed_row(EmissionsData, record) for record in df.to_dict("records")] if not missing else []
    result = {"file": os.path.basename(path), "rows": len(df), "expected_columns": len(expected), "missing": missing, "extra": extra}
    ok = not missing and len(rows) == len(df) and len(df) > 0
    if exact:
        output = FileOutput(os.path.basename(path), os.path.dirname(os.path.abspath(path)), "append")
        result["has_valid_headers"] = output.has_valid_headers(rows[0]) if rows else False
        ok = ok and result["has_valid_headers"] and not extra
        if ok:
            appended = dataclasses.replace(rows[0], run_id="codecarbon-appended", codecarbon_version=version)
            output.out(appended, None)
            after = pd.read_csv(path)
            backups = [n for n in os.listdir(os.path.dirname(os.path.abspath(path))) if n.endswith(".bak")]
            result["rows_after_codecarbon_append"] = len(after)
            result["backups"] = backups
            ok = ok and len(after) == len(df) + 1 and not backups and after["run_id"].iloc[-1] == "codecarbon-appended"
    result["ok"] = bool(ok)
    return result


def main():
    import pandas as pd

    version, EmissionsData, FileOutput = import_codecarbon_output()
    exact_csv, extras_csv = sys.argv[1], sys.argv[2]
    results = [check(exact_csv, True, version, EmissionsData, FileOutput, pd), check(extras_csv, False, version, EmissionsData, FileOutput, pd)]
    print(json.dumps({"codecarbon": version, "pandas": pd.__version__, "results": results}))
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
