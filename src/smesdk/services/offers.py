"""Which concrete offers of a catalogue serve one enterprise's needs, ranked and explained.

An offer serves an enterprise when it offers at least one service the enterprise needs
(:func:`smesdk.services.match.matched_services`) and it is open to the enterprise: its region
(an offer with no regions serves every region; an enterprise with no region is served only by
such offers), its size class, its industry (likewise), and a capacity that is not zero.
Serving offers are ranked: those covering a service that lifts a failed red line first; then
by the gap points of the needed services they cover (each service once); then by what the
enterprise pays (price less subsidy; offers without a price last); then provider and id.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from smesdk.answers import Enterprise
from smesdk.enterprise import size_name
from smesdk.industries import industry_name
from smesdk.numbers import fmt
from smesdk.services.catalogue import Offer
from smesdk.services.match import ServiceMatch, gap_text
from smesdk.text import Text


@attrs.frozen
class OfferMatch:
    """An offer that serves the enterprise, with the needs it covers and why it ranks here."""

    offer: Offer
    needs: list[ServiceMatch]
    gap_points: Decimal
    red_lines: int
    explanation: Text


@attrs.frozen
class Excluded:
    """An offer of a needed service that is not open to this enterprise, and why."""

    offer: Offer
    reasons: list[Text]


@attrs.frozen
class OfferRanking:
    offers: list[OfferMatch]
    excluded: list[Excluded]


def closed_because(offer: Offer, enterprise: Enterprise) -> list[Text]:
    """Why the offer is not open to the enterprise (empty: it is)."""
    out = []
    if offer.regions and enterprise.region not in offer.regions:
        where = "、".join(offer.regions)
        out.append(Text(zh=f"仅服务{where}（企业所在地区：{enterprise.region or '未填'}）",
                        en=f"serves {', '.join(offer.regions)} only (the enterprise's region: "
                           f"{enterprise.region or 'not given'})"))
    if offer.sizes and enterprise.size not in offer.sizes:
        size = size_name(enterprise.size)
        served = [size_name(s) for s in offer.sizes]
        out.append(Text(zh=f"仅服务{'、'.join(t.zh for t in served)}，不服务{size.zh}",
                        en=f"for {' or '.join('a ' + t.en for t in served)} only, not a "
                           f"{size.en}"))
    if offer.industries and (enterprise.industry is None
                             or industry_name(enterprise.industry) not in
                             [industry_name(code) for code in offer.industries]):
        named = industry_name(enterprise.industry)
        out.append(Text(zh=f"不服务该行业（{named.zh if named else '未填'}）",
                        en=f"not for this industry ({named.en if named else 'not given'})"))
    if offer.capacity == 0:
        out.append(Text(zh="已无服务名额", en="no capacity left"))
    return out


def _explain(offer: Offer, needs: list[ServiceMatch], points: Decimal) -> Text:
    zh = [f"覆盖{len(needs)}项所需服务，对应缺口{gap_text(points)}分："]
    en = [f"covers {len(needs)} needed service(s) addressing {gap_text(points)} gap points:"]
    for need in needs:
        why = need.why()
        zh.append(f"{need.title.zh}（{gap_text(need.gap_points)}分：{why.zh}）")
        en.append(f"{need.title.en} ({gap_text(need.gap_points)} points: {why.en})")
    net = offer.net_price
    if net is not None:
        zh.append(f"企业自付{fmt(net)}元" + (f"（价格{fmt(offer.price or net)}元，补贴"
                                              f"{fmt(offer.subsidy)}元）" if offer.subsidy else ""))
        en.append(f"the enterprise pays {fmt(net)} yuan" + (
            f" (price {fmt(offer.price or net)}, subsidy {fmt(offer.subsidy)})"
            if offer.subsidy else ""))
    return Text(zh=zh[0] + "；".join(zh[1:]), en=f"{en[0]} {'; '.join(en[1:])}")


def rank_offers(needs: list[ServiceMatch], enterprise: Enterprise,
                offers: list[Offer]) -> OfferRanking:
    """The catalogue's offers for these needs, ranked (module doc), and those left out."""
    by_service = {need.service: need for need in needs}
    ranked: list[OfferMatch] = []
    excluded: list[Excluded] = []
    for offer in offers:
        covered = [by_service[s] for s in dict.fromkeys(offer.services) if s in by_service]
        if not covered:
            continue
        reasons = closed_because(offer, enterprise)
        if reasons:
            excluded.append(Excluded(offer, reasons))
            continue
        covered.sort(key=lambda n: needs.index(n))
        points = sum((n.gap_points for n in covered), Decimal(0))
        ranked.append(OfferMatch(offer=offer, needs=covered, gap_points=points,
                                 red_lines=sum(len(n.red_lines) for n in covered),
                                 explanation=_explain(offer, covered, points)))
    ranked.sort(key=lambda m: (m.red_lines == 0, -m.gap_points,
                               m.offer.net_price is None, m.offer.net_price or Decimal(0),
                               m.offer.provider, m.offer.id))
    return OfferRanking(ranked, excluded)
