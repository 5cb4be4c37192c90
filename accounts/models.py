"""Users, their role, and how staff join an authority."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from geo.models import Authority, State


class Role(models.TextChoices):
    STAFF = "staff", _("Mitarbeitende einer Behörde")
    COORDINATOR = "coordinator", _("Koordination")
    VIEWER = "viewer", _("Ministerium (Berichte)")
    # The federal ministry: reads every state's reports, nothing else (no orders, no people).
    FEDERAL = "federal", _("Bundesministerium (Berichte aller Länder)")
    ADMIN = "admin", _("Betrieb (Administration)")


class UserManager(BaseUserManager["User"]):
    """E-mail is the login; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person. Staff belong to one authority; coordinators and viewers to a set of states."""

    # Django's documented way to drop an inherited field; django-stubs cannot express it.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.STAFF)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("Behörde"),
        help_text=_("Nur für Mitarbeitende: gesetzt, sobald die Zugehörigkeit bestätigt ist."),
    )
    states = models.ManyToManyField(
        State,
        blank=True,
        related_name="+",
        verbose_name=_("Bundesländer"),
        help_text=_("Für Koordination und Ministerium: die Länder, die sie sehen."),
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    # The language of every e-mail and digest to this person: set at sign-up from the active
    # language and whenever they switch language while signed in (accounts.views.language_set).
    language = models.CharField(
        _("Sprache"), max_length=10, choices=settings.LANGUAGES, default="de"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # django-stubs pin AbstractUser.objects to auth's UserManager (logins by username); ours
    # logs in by e-mail and cannot be a subtype of it.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")

    def __str__(self) -> str:
        # Selects, admin lists, the audit trail and "accepted by" all show a person by name.
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the portal names a person: first and last name; the e-mail address only for
        accounts without a name (created before sign-up asked for it, or by an operator)."""
        return self.get_full_name() or self.email

    @property
    def is_authority_staff(self) -> bool:
        return self.role == Role.STAFF and self.authority_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_viewer(self) -> bool:
        return self.role == Role.VIEWER

    @property
    def is_federal_viewer(self) -> bool:
        return self.role == Role.FEDERAL

    @property
    def is_operator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class Membership(models.Model):
    """A request by a signed-up user to act for an authority, decided by a coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Beantragt")
        APPROVED = "approved", _("Bestätigt")
        REJECTED = "rejected", _("Abgelehnt")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("Nachricht an die Koordination"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Zugehörigkeitsantrag")
        verbose_name_plural = _("Zugehörigkeitsanträge")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_membership_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.authority} ({self.get_status_display()})"


class Invitation(models.Model):
    """A coordinator invites a person by e-mail to act for an authority."""

    email = models.EmailField(_("E-Mail-Adresse"))
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")

    def __str__(self) -> str:
        return f"{self.email} → {self.authority}"


class CoordinatorInvitation(models.Model):
    """An operator invites a state's first coordinators by e-mail when opening the state."""

    email = models.EmailField(_("E-Mail-Adresse"))
    state = models.ForeignKey(
        State, on_delete=models.CASCADE, related_name="coordinator_invitations"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung zur Koordination")
        verbose_name_plural = _("Einladungen zur Koordination")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "email"], name="one_coordinator_invitation_per_state_and_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.state}"
