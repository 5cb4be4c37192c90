"""A small but realistic world for the coverage reports.

Bayern with two Regierungsbezirke and three districts (the kreisfreie Stadt München, the
Landkreise Kelheim and Landshut), their authorities at both levels with the population of
the municipalities they serve, two services (one per level), and orders whose roll-ins are
in various states with a dated history. Roll-in rows are written directly: the reports read
the rows, they do not care how the worker produced them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Role, User
from catalog.models import Service
from geo.models import Authority, District, Level, Municipality, Region, State
from orders.models import Order
from rollin.models import HistoryEntry, Rollin, StageDefinition, StageTemplate
from tests import factories
from tests.factories_orders import DistrictServiceFactory, OrderFactory, ServiceFactory
from tests.factories_rollin import HistoryEntryFactory, RollinFactory, default_template

# A contact e-mail that must never show up in any report page or API response.
SECRET_EMAIL = "geheim.kontakt@behoerde.example"
SECRET_NAME = "Hildegard Geheimnisträger"
SECRET_PHONE = "0871 99 88 77"


@dataclass
class ReportWorld:
    state: State
    other_state: State
    regions: list[Region]
    districts: list[District]
    authorities: dict[str, Authority]
    municipalities: list[Municipality]
    municipal_service: Service
    district_service: Service
    planned_service: Service
    placer: User
    orders: list[Order] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=timezone.now)

    def weeks_ago(self, weeks: float) -> datetime.datetime:
        return self.now - datetime.timedelta(weeks=weeks)


def _authority(
    district: District, code: str, name: str, kind: str, *, municipal: bool, district_level: bool
) -> Authority:
    return Authority.objects.create(
        code=code,
        key=code[1:],
        kind=kind,
        name=name,
        state=district.state,
        region=district.region,
        district=district,
        is_municipal_level=municipal,
        is_district_level=district_level,
        population=0,
    )


def _municipality(
    ags: str, name: str, population: int, municipal: Authority, district_authority: Authority
) -> Municipality:
    return Municipality.objects.create(
        ags=ags,
        ars=f"{ags[:5]}0000{ags[5:]}",
        name=name,
        official_name=name,
        kind="Gemeinde",
        state=municipal.state,
        district=municipal.district,
        population=population,
        municipal_authority=municipal,
        district_authority=district_authority,
    )


def _refresh_authority_population() -> None:
    """Authority.population = sum of the municipalities it serves at its level (importer rule)."""
    for authority in Authority.objects.all():
        served = Municipality.objects.filter(
            **(
                {"municipal_authority": authority}
                if authority.is_municipal_level
                else {"district_authority": authority}
            )
        )
        authority.population = sum(m.population for m in served)
        authority.save(update_fields=["population"])


def stages() -> tuple[StageDefinition, StageDefinition]:
    """(the "test" stage, the live stage) of the default template."""
    default_template()
    template = StageTemplate.objects.get(service__isnull=True)
    return (
        template.stages.get(code="test"),
        template.stages.get(is_live=True),
    )


def order_with_history(
    world: ReportWorld,
    authority: Authority,
    service: Service,
    *,
    placed: datetime.datetime,
    live: datetime.datetime | None = None,
    cancelled: datetime.datetime | None = None,
    on_hold: bool = False,
) -> Order:
    test_stage, live_stage = stages()
    order = OrderFactory(
        authority=authority,
        service=service,
        contact_name=SECRET_NAME,
        contact_email=SECRET_EMAIL,
        contact_phone=SECRET_PHONE,
        placed_by=world.placer,
        cancelled_at=cancelled,  # before the roll-in: its factory counts the figures
    )
    if cancelled is not None:
        status = Rollin.Status.CANCELLED
    elif live is not None:
        status = Rollin.Status.LIVE
    elif on_hold:
        status = Rollin.Status.ON_HOLD
    else:
        status = Rollin.Status.WAITING
    rollin = RollinFactory(
        order=order,
        at=(live_stage if live is not None else test_stage).code,
        status=status,
        stage_entered_at=live or placed,
        live_at=live,
        items=False,
        placed=placed,
    )
    # Placed at the first stage, as rollin_start records it; reports read the later moves.
    rollin.history.filter(seq=1).update(to_stage=test_stage.template.stages.first())
    later: list[tuple[str, StageDefinition | None, StageDefinition | None, datetime.datetime]] = []
    if live is not None:
        later.append((HistoryEntry.Action.ADVANCED, test_stage, live_stage, live))
    if cancelled is not None:
        later.append((HistoryEntry.Action.CANCELLED, None, None, cancelled))
    for seq, (action, from_stage, to_stage, at) in enumerate(later, start=2):
        HistoryEntryFactory(
            rollin=rollin,
            seq=seq,
            action=action,
            from_stage=from_stage,
            to_stage=to_stage,
            created_at=at,
        )
    Rollin.objects.filter(pk=rollin.pk).update(last_seq=1 + len(later))
    Order.objects.filter(pk=order.pk).update(created_at=placed, cancelled_at=cancelled)
    order.refresh_from_db()
    world.orders.append(order)
    return order


def build_world(*, extra_municipal_authorities: int = 0, orders: bool = True) -> ReportWorld:
    """The world; `orders=False` leaves every authority without orders (for the roll-in demo)."""
    state = factories.StateFactory(ags="09", name="Bayern")
    other = factories.StateFactory(ags="08", name="Baden-Württemberg")
    obb = Region.objects.create(ags="091", name="Oberbayern", state=state)
    ndb = Region.objects.create(ags="092", name="Niederbayern", state=state)
    muc = District.objects.create(
        ags="09162",
        name="München",
        official_name="Landeshauptstadt München",
        kind=District.Kind.KREISFREIE_STADT,
        state=state,
        region=obb,
        population=1510378,
    )
    keh = District.objects.create(
        ags="09273",
        name="Kelheim",
        official_name="Kelheim",
        kind=District.Kind.LANDKREIS,
        state=state,
        region=ndb,
        population=126539,
    )
    la = District.objects.create(
        ags="09274",
        name="Landshut",
        official_name="Landshut",
        kind=District.Kind.LANDKREIS,
        state=state,
        region=ndb,
        population=162297,
    )
    stuttgart = District.objects.create(
        ags="08111",
        name="Stuttgart",
        official_name="Stuttgart",
        kind=District.Kind.KREISFREIE_STADT,
        state=other,
        region=None,
        population=610458,
    )
    kfs = Authority.Kind.KREISFREIE_STADT
    a = {
        "muenchen": _authority(
            muc, "G09162000", "Landeshauptstadt München", kfs, municipal=True, district_level=True
        ),
        "lra_kelheim": _authority(
            keh,
            "L09273",
            "Landratsamt Kelheim",
            Authority.Kind.LANDRATSAMT,
            municipal=False,
            district_level=True,
        ),
        "kelheim": _authority(
            keh,
            "G09273137",
            "Stadt Kelheim",
            Authority.Kind.GEMEINDE,
            municipal=True,
            district_level=False,
        ),
        "vg_mainburg": _authority(
            keh,
            "V092735401",
            "VG Mainburg",
            Authority.Kind.VERWALTUNGSGEMEINSCHAFT,
            municipal=True,
            district_level=False,
        ),
        "abensberg": _authority(
            keh,
            "G09273111",
            "Stadt Abensberg",
            Authority.Kind.GEMEINDE,
            municipal=True,
            district_level=False,
        ),
        "lra_landshut": _authority(
            la,
            "L09274",
            "Landratsamt Landshut",
            Authority.Kind.LANDRATSAMT,
            municipal=False,
            district_level=True,
        ),
        "ergolding": _authority(
            la,
            "G09274121",
            "Markt Ergolding",
            Authority.Kind.GEMEINDE,
            municipal=True,
            district_level=False,
        ),
        "rottenburg": _authority(
            la,
            "G09274176",
            "Stadt Rottenburg a.d.Laaber",
            Authority.Kind.GEMEINDE,
            municipal=True,
            district_level=False,
        ),
        "stuttgart": _authority(
            stuttgart,
            "G08111000",
            "Landeshauptstadt Stuttgart",
            kfs,
            municipal=True,
            district_level=True,
        ),
    }
    m = [
        _municipality("09162000", "München", 1510378, a["muenchen"], a["muenchen"]),
        _municipality("09273137", "Kelheim", 16916, a["kelheim"], a["lra_kelheim"]),
        _municipality("09273147", "Mainburg", 15436, a["vg_mainburg"], a["lra_kelheim"]),
        _municipality("09273125", "Elsendorf", 2116, a["vg_mainburg"], a["lra_kelheim"]),
        _municipality("09273111", "Abensberg", 14422, a["abensberg"], a["lra_kelheim"]),
        _municipality("09274121", "Ergolding", 12963, a["ergolding"], a["lra_landshut"]),
        _municipality(
            "09274176", "Rottenburg a.d.Laaber", 8774, a["rottenburg"], a["lra_landshut"]
        ),
        _municipality("08111000", "Stuttgart", 610458, a["stuttgart"], a["stuttgart"]),
    ]
    for n in range(extra_municipal_authorities):
        district = (keh, la)[n % 2]
        lra = a["lra_kelheim"] if district == keh else a["lra_landshut"]
        code = f"G{district.ags}{600 + n:03d}"
        extra = _authority(
            district,
            code,
            f"Gemeinde {n}",
            Authority.Kind.GEMEINDE,
            municipal=True,
            district_level=False,
        )
        a[f"extra{n}"] = extra
        m.append(_municipality(code[1:], f"Gemeinde {n}", 1000 + n, extra, lra))
    _refresh_authority_population()
    for authority in a.values():
        authority.refresh_from_db()
    world = ReportWorld(
        state=state,
        other_state=other,
        regions=[obb, ndb],
        districts=[muc, keh, la],
        authorities=a,
        municipalities=m,
        municipal_service=ServiceFactory(slug="ewohnsitz", name="eWohnsitz", level=Level.MUNICIPAL),
        district_service=DistrictServiceFactory(slug="fuehrerschein", name="Führerschein"),
        # Without a password: hashing (Argon2) would dominate the tests' run time.
        placer=User.objects.create(email="besteller@behoerde.example", role=Role.STAFF),
        planned_service=ServiceFactory(
            slug="geplant", name="Geplante Leistung", status=Service.Status.PLANNED
        ),
    )
    if not orders:
        return world
    ew, fs = world.municipal_service, world.district_service
    order_with_history(
        world, a["muenchen"], ew, placed=world.weeks_ago(30), live=world.weeks_ago(20)
    )
    order_with_history(world, a["kelheim"], ew, placed=world.weeks_ago(12), live=world.weeks_ago(5))
    order_with_history(
        world, a["vg_mainburg"], ew, placed=world.weeks_ago(9), live=world.weeks_ago(2)
    )
    order_with_history(world, a["abensberg"], ew, placed=world.weeks_ago(10))
    # Live from week 12 to week 1, then cancelled: counts in the past, not now.
    order_with_history(
        world,
        a["ergolding"],
        ew,
        placed=world.weeks_ago(16),
        live=world.weeks_ago(12),
        cancelled=world.weeks_ago(1),
    )
    order_with_history(
        world, a["stuttgart"], ew, placed=world.weeks_ago(8), live=world.weeks_ago(3)
    )
    order_with_history(
        world, a["muenchen"], fs, placed=world.weeks_ago(40), live=world.weeks_ago(30)
    )
    order_with_history(
        world, a["lra_kelheim"], fs, placed=world.weeks_ago(10), live=world.weeks_ago(3)
    )
    order_with_history(
        world, a["lra_landshut"], fs, placed=world.weeks_ago(6), live=world.weeks_ago(1)
    )
    for n in range(extra_municipal_authorities):
        authority = a[f"extra{n}"]
        if n % 3 == 0:
            order_with_history(
                world, authority, ew, placed=world.weeks_ago(7), live=world.weeks_ago(4)
            )
        elif n % 3 == 1:
            order_with_history(world, authority, ew, placed=world.weeks_ago(7), on_hold=True)
    return world
