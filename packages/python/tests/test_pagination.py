"""Lists a page at a time, and every item of every page by iteration."""

from __future__ import annotations

import unittest

import protus
from protus.pagination import Page
from tests.support.fake_server import FakeServer


def page(*ids: str, has_more: bool) -> dict:
    return {"object": "list", "data": [{"id": i} for i in ids], "has_more": has_more}


class PaginationTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = FakeServer().__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.client = protus.Client("cl_1", "sk_secret", self.server.url, sleep=lambda s: None)
        self.addCleanup(self.client.close)

    def serve(self, path: str, *pages: dict) -> None:
        for body in pages:
            self.server.reply("GET", path, 200, body)

    def test_answers_the_first_page_at_once_with_its_data_and_has_more(self) -> None:
        self.serve("/v1/charges", page("ch_3", "ch_2", has_more=True))
        first = self.client.charges.list(limit=2)
        self.assertEqual(len(self.server.requests), 1)
        self.assertEqual(first.data, [{"id": "ch_3"}, {"id": "ch_2"}])
        self.assertTrue(first.has_more)
        self.assertEqual(self.server.requests[0].query, {"limit": "2"})

    def test_iterates_every_item_of_three_pages_keeping_the_filters(self) -> None:
        self.serve(
            "/v1/charges",
            page("ch_5", "ch_4", has_more=True),
            page("ch_3", "ch_2", has_more=True),
            page("ch_1", has_more=False),
        )
        charges = self.client.charges.list(service="svc_1", limit=2, created_gte="2026-01-01T00:00:00Z")
        ids = [c["id"] for c in charges]
        self.assertEqual(ids, ["ch_5", "ch_4", "ch_3", "ch_2", "ch_1"])
        filters = {"service": "svc_1", "limit": "2", "created[gte]": "2026-01-01T00:00:00Z"}
        self.assertEqual(
            [r.query for r in self.server.requests],
            [filters, {**filters, "starting_after": "ch_4"}, {**filters, "starting_after": "ch_2"}],
        )

    def test_asks_for_the_next_page_only_when_the_loop_has_used_up_the_one_it_has(self) -> None:
        self.serve("/v1/holds", page("hold_3", "hold_2", has_more=True), page("hold_1", has_more=False))
        items = iter(self.client.holds.list())
        self.assertEqual(next(items), {"id": "hold_3"})
        self.assertEqual(next(items), {"id": "hold_2"})
        self.assertEqual(len(self.server.requests), 1)
        self.assertEqual(next(items), {"id": "hold_1"})
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual(list(items), [])
        self.assertEqual(len(self.server.requests), 2)

    def test_fetches_nothing_more_after_a_break(self) -> None:
        self.serve("/v1/holds", page("hold_2", has_more=True), page("hold_1", has_more=False))
        for hold in self.client.holds.list(status="pending"):
            self.assertEqual(hold["id"], "hold_2")
            break
        self.assertEqual(len(self.server.requests), 1)

    def test_stops_on_an_empty_page_that_claims_more(self) -> None:
        self.serve(
            "/v1/refunds", page("re_2", has_more=True), page(has_more=True), page("re_0", has_more=False)
        )
        self.assertEqual([r["id"] for r in self.client.refunds.list()], ["re_2"])
        self.assertEqual(len(self.server.requests), 2)

    def test_stops_on_an_empty_first_page(self) -> None:
        self.serve("/v1/refunds", page(has_more=True))
        self.assertEqual(list(self.client.refunds.list()), [])
        self.assertEqual(len(self.server.requests), 1)

    def test_raises_the_error_of_a_refused_later_page_out_of_the_loop(self) -> None:
        self.serve("/v1/refunds", page("re_2", has_more=True))
        problem = {"status": 400, "code": "validation_failed", "detail": "starting_after"}
        self.server.reply("GET", "/v1/refunds", 400, problem)
        seen: list[str] = []
        with self.assertRaises(protus.ProtusError) as caught:
            for refund in self.client.refunds.list(charge="ch_1"):
                seen.append(refund["id"])
        self.assertEqual(caught.exception.code, "validation_failed")
        self.assertEqual(seen, ["re_2"])
        self.assertEqual(self.server.requests[1].query, {"charge": "ch_1", "starting_after": "re_2"})

    def test_collects_at_most_the_limit_of_to_list_without_fetching_beyond(self) -> None:
        self.serve("/v1/subscriptions", page("sub_3", "sub_2", has_more=True), page("sub_1", has_more=False))
        subscriptions = self.client.subscriptions.list(status="active").to_list(limit=2)
        self.assertEqual([s["id"] for s in subscriptions], ["sub_3", "sub_2"])
        self.assertEqual(len(self.server.requests), 1)

    def test_to_list_fetches_the_pages_it_needs_and_ends_with_the_list(self) -> None:
        self.serve("/v1/payouts", page("po_3", "po_2", has_more=True), page("po_1", has_more=False))
        payouts = self.client.payouts.list().to_list(limit=10)
        self.assertEqual([p["id"] for p in payouts], ["po_3", "po_2", "po_1"])
        self.assertEqual(len(self.server.requests), 2)

    def test_to_list_needs_a_positive_integer_limit(self) -> None:
        self.serve("/v1/payouts", page("po_1", has_more=True))
        payouts = self.client.payouts.list()
        for limit in (0, -1, 2.5, True):
            with self.subTest(limit=limit), self.assertRaises(ValueError):
                payouts.to_list(limit=limit)  # type: ignore[arg-type]
        self.assertEqual(len(self.server.requests), 1)

    def test_auto_paging_iter_is_the_same_iteration(self) -> None:
        self.serve("/v1/accounts", page("acct_2", has_more=True), page("acct_1", has_more=False))
        items = self.client.accounts.list().auto_paging_iter()
        self.assertEqual([a["id"] for a in items], ["acct_2", "acct_1"])

    def test_iterating_again_starts_over_from_the_first_page_without_asking_for_it_again(self) -> None:
        pages = [page("x_2", has_more=True), page("x_1", has_more=False)]
        fetched: list[dict] = []

        def fetch_page(params: dict) -> dict:
            fetched.append(dict(params))
            return pages[len(fetched) - 1] if len(fetched) <= 2 else pages[1]

        first = Page.first(fetch_page, {"limit": 1})
        self.assertEqual([i["id"] for i in first], ["x_2", "x_1"])
        self.assertEqual([i["id"] for i in first], ["x_2", "x_1"])
        later = {"limit": 1, "starting_after": "x_2"}
        self.assertEqual(fetched, [{"limit": 1}, later, later])


if __name__ == "__main__":
    unittest.main()
