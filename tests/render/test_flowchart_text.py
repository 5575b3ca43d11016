import re

from kb_builder.render.flowchart import FlowStep, flowchart_svg


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_boxes_hold_their_whole_text_wrapped():
    long = ("Check the carrier portal for the delivery scan, the photo of the parcel and the signature, "
            "then write the outcome into the ticket before you answer the customer.")
    svg = flowchart_svg([FlowStep("a", 1, long, [("Order value is below 60 AED and the customer has photos", None)]),
                         FlowStep("b", 2, "商品の破損写真を確認し、配送業者の記録と照合してから返金または再送を決めてください。", [])], "t")
    lines = texts(svg)
    assert "…" not in svg
    assert " ".join(lines[:4]).startswith("1. Check the carrier portal")
    joined = " ".join(lines)
    assert "before you answer the customer." in joined
    assert "↳ Order value is below 60 AED and" in joined and "photos → continue" in joined
    assert "".join(l for l in lines if any(ord(c) > 0x3000 for c in l)).replace("2. ", "") == \
        "商品の破損写真を確認し、配送業者の記録と照合してから返金または再送を決めてください。"
    assert max(len(l) for l in lines) <= 36


def test_chart_is_narrow_enough_for_a_phone():
    svg = flowchart_svg([FlowStep("a", 1, "A", [("x", "c")]), FlowStep("b", 2, "B", [("y", "a")]), FlowStep("c", 3, "C", [])], "t")
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 380
