"""factory_boy factories. Geography defaults use real facts (Bavaria, Landkreis Kelheim)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.db.models import Model
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from geo.models import Authority, District, Municipality, Region, State

DEFAULT_PASSWORD = "Sicheres-Passwort-2026"

_M = TypeVar("_M", bound=Model)


class ModelFactory(DjangoModelFactory[_M]):
    """A DjangoModelFactory whose call the type checker knows: `UserFactory()` is a User."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's __new__ is untyped; calling a factory builds and saves the model.
        def __new__(cls, *args: Any, **kwargs: Any) -> _M: ...  # type: ignore[misc]


class StateFactory(ModelFactory[State]):
    class Meta:
        model = State
        django_get_or_create = ["ags"]

    ags = "09"
    name = "Bayern"
    # Open unless a test says otherwise (opened_at=None): most tests act in an opened state.
    opened_at = factory.LazyFunction(timezone.now)
    general_contractor = "AKDB"
    responsibility_confirmed_at = factory.LazyFunction(timezone.now)


class RegionFactory(ModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ["ags"]

    ags = "092"
    name = "Niederbayern"
    state = factory.SubFactory(StateFactory)


class DistrictFactory(ModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ["ags"]

    ags = "09273"
    name = "Kelheim"
    official_name = "Kelheim"
    kind = District.Kind.LANDKREIS
    region = factory.SubFactory(RegionFactory)
    state = factory.SelfAttribute("region.state")
    population = 126539


class AuthorityFactory(ModelFactory[Authority]):
    """Defaults to a single Gemeinde's administration (municipal level)."""

    class Meta:
        model = Authority
        django_get_or_create = ["code"]

    # `object`: subclasses declare these differently (a value or another declaration).
    kind = Authority.Kind.GEMEINDE
    key: object = factory.Sequence(lambda n: f"09273{n + 100:03d}")
    code: object = factory.LazyAttribute(lambda o: f"G{o.key}")
    name: object = factory.Sequence(lambda n: f"Gemeinde {n}")
    district = factory.SubFactory(DistrictFactory)
    state = factory.SelfAttribute("district.state")
    region = factory.SelfAttribute("district.region")
    is_municipal_level = True
    is_district_level = False
    population: object = 5000


class LandratsamtFactory(AuthorityFactory):
    kind = Authority.Kind.LANDRATSAMT
    key = factory.SelfAttribute("district.ags")
    code = factory.LazyAttribute(lambda o: f"L{o.key}")
    name = factory.LazyAttribute(lambda o: f"Landratsamt {o.district.name}")
    is_municipal_level = False
    is_district_level = True
    population = factory.SelfAttribute("district.population")


class MunicipalityFactory(ModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ["ags"]

    ags = factory.Sequence(lambda n: f"09273{n + 500:03d}")
    ars = factory.LazyAttribute(lambda o: f"{o.ags[:5]}0{o.ags[5:]}{o.ags[5:]}")
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    official_name = factory.SelfAttribute("name")
    kind = "Gemeinde"
    district = factory.SubFactory(DistrictFactory)
    state = factory.SelfAttribute("district.state")
    population = 5000


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_after_password(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            user.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    authority = factory.SubFactory(AuthorityFactory)


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR

    @factory.post_generation
    def states(user: User, create: bool, extracted: list[State] | None, **kwargs: object) -> None:
        if create:
            user.states.set(extracted if extracted is not None else [StateFactory()])


class ViewerFactory(CoordinatorFactory):
    role = Role.VIEWER


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True
