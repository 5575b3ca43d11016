"""Placeholder mapping per target: defaults, kb.yaml overrides, exact errors, template engines."""

from __future__ import annotations

import json

import pytest

from conftest import KB_YAML  # tests/conftest.py

from kb_builder.cli import main
from kb_builder.errors import ContentError
from kb_builder.export.placeholders import PlaceholderMap
from kb_builder.export.run import run_export
from kb_builder.export.selection import fill_reply

TEMPLATE = """\
channel: email
placeholders: [customer_name, order_id]
source:
  subject: "Order {order_id}"
  body: |
    Hi {customer_name},
    your order {order_id} is on its way.
"""


def _messages(exc: ContentError) -> list[str]:
    return [p.format() for p in exc.problems]


def test_unmapped_placeholder_names_the_template_line_and_the_end_of_kb_yaml(make_project, tmp_path):
    content = make_project({"templates/shipped.yaml": TEMPLATE})
    with pytest.raises(ContentError) as exc:
        run_export(content, "zendesk", tmp_path / "out")
    assert _messages(exc.value) == [
        "content/templates/shipped.yaml:4:19: error: placeholder {order_id} of template:shipped has no zendesk "
        "mapping (map it in content/kb.yaml:8 (end of file) add export: {zendesk: {placeholders: {order_id: "
        "\"{{ticket.ticket_field_<id of the order_id field>}}\"}}})"]
    assert not (tmp_path / "out").exists()


def test_unmapped_placeholder_points_under_the_existing_placeholders_block(make_project, tmp_path):
    kb = KB_YAML + "export:\n  gorgias:\n    placeholders:\n      ticket_id: '{{ticket.id}}'\n"
    content = make_project({"kb.yaml": kb, "templates/shipped.yaml":
                            TEMPLATE.replace("Hi {customer_name},", "Hi,").replace("[customer_name, ", "[")})
    with pytest.raises(ContentError) as exc:
        run_export(content, "gorgias", tmp_path / "out")
    assert _messages(exc.value) == [
        "content/templates/shipped.yaml:4:19: error: placeholder {order_id} of template:shipped has no gorgias "
        "mapping (map it in content/kb.yaml:10 under export: gorgias: placeholders: add order_id: "
        "\"{{ticket.customer.order_id}}\")"]


def test_a_use_in_a_block_scalar_is_reported_at_its_own_line(make_project, tmp_path):
    content = make_project({"templates/shipped.yaml": TEMPLATE.replace('subject: "Order {order_id}"', "subject: Hi")})
    with pytest.raises(ContentError) as exc:
        run_export(content, "freshdesk", tmp_path / "out")
    assert _messages(exc.value)[0].startswith(
        "content/templates/shipped.yaml:7:16: error: placeholder {order_id} of template:shipped has no freshdesk")


def test_kb_yaml_mapping_and_defaults_fill_the_macro_and_the_cli_exits_0(make_project, tmp_path, capsys):
    kb = KB_YAML + "export:\n  gorgias:\n    placeholders:\n      order_id: '{{ticket.custom.order}}'\n"
    content = make_project({"kb.yaml": kb, "templates/shipped.yaml": TEMPLATE})
    assert main(["export", "gorgias", "--content", str(content), "--out", str(tmp_path / "out"),
                 "--market", "de", "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'out' / 'gorgias'}: 1 macro\n"
    macro = json.loads((tmp_path / "out" / "gorgias" / "macros" / "kb-template-shipped-de-en.json").read_text())
    assert macro["actions"][1]["arguments"]["body_text"] == (
        "Hi {{ticket.customer.firstname}},\nyour order {{ticket.custom.order}} is on its way.")


def test_unmapped_placeholder_exits_1_and_json_needs_no_mapping(make_project, tmp_path, capsys):
    content = make_project({"templates/shipped.yaml": TEMPLATE})
    assert main(["export", "zendesk", "--content", str(content), "--out", str(tmp_path / "out")]) == 1
    assert "has no zendesk mapping" in capsys.readouterr().err
    assert main(["export", "json", "--content", str(content), "--out", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "json" / "kb-export.json").read_text())
    assert data["replies"][0]["body_text"] == "Hi {customer_name},\nyour order {order_id} is on its way."


def test_usage_errors_exit_2(make_project, tmp_path):
    content = make_project({})
    out = str(tmp_path / "out")
    assert main(["export", "json", "--content", str(content), "--out", out, "--market", "XX"]) == 2
    assert main(["export", "json", "--content", str(content), "--out", out, "--lang", "xx"]) == 2
    assert main(["export", "json", "--content", str(content), "--out", out, "--dry-run"]) == 2
    assert main(["export", "nowhere", "--content", str(content), "--out", out]) == 2


def test_content_can_never_open_a_helpdesk_template_tag():
    mapping = PlaceholderMap("zendesk", {"name": "{{ticket.requester.first_name}}"})
    text = "Hi {name}, {{{{ x }}}} and {{% raw %}} and {market.v} and {{{name}"
    out = fill_reply(text, {"v": "{{ticket.id}}"}, mapping)
    assert out == ("Hi {{ticket.requester.first_name}}, {\u200b{ x }} and {\u200b% raw %} and {\u200b{ticket.id}} "
                   "and {\u200b{{ticket.requester.first_name}}")
    assert "{{" not in out.replace("{{ticket.requester.first_name}}", "")
    assert "{%" not in out


def test_json_keeps_our_own_syntax():
    out = fill_reply("Hi {name}, {{literal}} {market.v}", {"v": "30"}, PlaceholderMap("json", {}))
    assert out == "Hi {name}, {{literal}} 30"
