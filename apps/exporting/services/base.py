"""What an emitter is: the SAM and the CDK side of one component type, written side by side.

Each service family module (functions, apis, web, identity, messaging, workflows, stores, network)
declares one ``Service`` per catalog type it writes. The writers (``SamTemplate`` in sam.py and
``CdkStack`` in cdk.py) own the template or stack being built and hand themselves to the emitters;
an emitter never reaches into another type's resources except through the writer's ``env_value``,
``policy`` and ``grant``, which ask the target's own service. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import py, ref, var

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate


def _sam_ref(sam: SamTemplate, target: Component) -> Any:
    return ref(sam.id(target))


def _no_sam_policy(sam: SamTemplate, link: Link) -> list[Any]:
    return []


def _no_cdk_grant(cdk: CdkStack, link: Link) -> str | None:
    return None


def _nothing(writer: Any, component: Component) -> None:
    """Not deployed (clients): the type draws, costs and reviews, and is absent from templates."""


@dataclass(frozen=True)
class Service:
    """The emitter of one component type.

    ``sam``/``cdk`` write the type's resources; ``sam_env``/``cdk_env`` give the value a connected
    function finds in its environment variable (the catalog names the variable); ``sam_policies`` and
    ``cdk_grant`` give a function what a connection to this type lets it do. ``cdk_order`` places the
    type's constructs in the stack (a construct must exist before another names it), and ``cdk_wiring``
    runs once every construct exists (subscriptions, rules, triggers, a function's event sources).
    """

    type: str
    sam: Callable[[SamTemplate, Component], None]
    cdk: Callable[[CdkStack, Component], None]
    cdk_order: int
    sam_env: Callable[[SamTemplate, Component], Any] = _sam_ref
    cdk_env: Callable[[CdkStack, Component], str] | None = None
    sam_policies: Callable[[SamTemplate, Link], list[Any]] = _no_sam_policy
    cdk_grant: Callable[[CdkStack, Link], str | None] = _no_cdk_grant
    cdk_wiring: Callable[[CdkStack, Component], None] | None = None
    deployed: bool = True  # False: drawn, costed and reviewed, absent from templates (clients)


def not_deployed(type_id: str) -> Service:
    return Service(type_id, sam=_nothing, cdk=_nothing, cdk_order=0, deployed=False)


def cdk_attribute(attribute: str) -> Callable[[CdkStack, Component], str]:
    """A CDK env value that is an attribute of the target's construct (``c_orders.table_name``)."""

    def value(cdk: CdkStack, target: Component) -> str:
        return f"{var(target)}.{attribute}"

    return value


def cdk_allow(principal: str, actions: list[str], resources: list[str]) -> str:
    """A CDK statement letting ``principal`` (a function, a task role, anything grantable) take ``actions``
    on ``resources`` (Python expressions): ``add_to_role_policy`` exists on functions only."""
    return (
        f"iam.Grant.add_to_principal(grantee={principal}, actions={py(actions)}, "
        f"resource_arns=[{', '.join(resources)}])"
    )


def grant_call(method: str) -> Callable[[CdkStack, Link], str]:
    """A CDK grant written as ``<target construct>.<method>(<function>)``."""

    def grant(cdk: CdkStack, link: Link) -> str:
        return f"{var(link.target)}.{method}({var(link.source)})"

    return grant
