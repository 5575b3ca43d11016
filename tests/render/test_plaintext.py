from kb_builder.render.plaintext import html_to_text


def test_paragraphs_lists_and_links_become_plain_text():
    html = ('<p>Hello <strong>there</strong>,\nsecond line</p><ul><li>one</li><li>two <a href="https://x.example/a">'
            'the page</a></li></ul><ol><li>first</li><li>second</li></ol><p>a&amp;b<br>c</p>')
    assert html_to_text(html) == ("Hello there,\nsecond line\n\n- one\n- two the page (https://x.example/a)\n\n"
                                  "1. first\n2. second\n\na&b\nc")


def test_a_link_showing_its_own_address_is_not_repeated():
    assert html_to_text('<p><a href="https://x.example">https://x.example</a></p>') == "https://x.example"
