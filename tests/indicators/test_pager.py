"""Drill-down lists longer than a page: every pager link keeps the indicator and works."""

import re


def test_every_page_of_a_drill_down_list_opens(app, client, city, login, make_establishment):
    app.config["FANGXIN_PAGE_SIZE"] = 2
    for n in range(5):
        make_establishment(name=f"村头小卖部{n}", category="rural_shop")
    login(city.admin)
    url = "/office/indicators/five_goods?list=gap"
    seen = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        seen += 1
        following = re.search(r'<a href="([^"]+)">下一页</a>', html)
        url = following.group(1).replace("&amp;", "&") if following else None
        if url:
            assert url.startswith("/office/indicators/five_goods?")
    assert seen >= 3
