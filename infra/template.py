"""Reads template.yaml, the one description of the system, for the local stack and the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation's short tags (!Ref, !GetAtt, !Sub ...) as their long form."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


CATCH_ALL = "ANY"  # API Gateway's method of a route that takes every method


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST… or ANY
    path: str  # API Gateway syntax: /api/v1/sites/{site_id}, or a greedy /api/{proxy+}
    function: str

    @property
    def greedy(self) -> bool:
        return self.path.endswith("+}")

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\+\\\}", r"(?P<\1>.+)", re.escape(self.path))
        regex = re.sub(r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}", r"(?P<\1>[^/]+)", regex)
        return re.compile(f"^{regex}\\Z", re.DOTALL)  # \\Z: a trailing newline is part of the path

    def takes(self, method: str) -> bool:
        return self.method in (method, CATCH_ALL)


@dataclass(frozen=True)
class Function:
    logical_id: str
    handler: str
    environment: dict[str, Any] = field(default_factory=dict)
    policies: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Template:
    body: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        return self.body["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == resource_type}

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return {name: r["Properties"] for name, r in self.of_type("AWS::DynamoDB::Table").items()}

    @property
    def buckets(self) -> list[str]:
        return list(self.of_type("AWS::S3::Bucket"))

    @property
    def functions(self) -> dict[str, Function]:
        shared_env = (
            self.body.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
        )
        found = {}
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            props = resource["Properties"]
            env = {**shared_env, **props.get("Environment", {}).get("Variables", {})}
            found[name] = Function(name, props["Handler"], env, props.get("Policies", []))
        return found

    @property
    def routes(self) -> list[Route]:
        routes = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] == "HttpApi":
                    props = event["Properties"]
                    routes.append(Route(props["Method"].upper(), props["Path"], name))
        return routes

    @property
    def s3_event_functions(self) -> list[str]:
        """Functions an EventBridge rule feeds with S3 "Object Created" events."""
        found = []
        for name, resource in self.of_type("AWS::Serverless::Function").items():
            for event in resource["Properties"].get("Events", {}).values():
                pattern = event.get("Properties", {}).get("Pattern", {})
                if event["Type"] == "EventBridgeRule" and "aws.s3" in pattern.get("source", []):
                    found.append(name)
        return found


@cache
def load(path: Path = TEMPLATE) -> Template:
    return Template(yaml.load(path.read_text("utf-8"), Loader=_CfnLoader))  # noqa: S506 - a SafeLoader subclass


def resolve(value: Any, names: dict[str, str]) -> Any:
    """A template value with `Ref`s to resources replaced by their local names."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return names.get(value["Ref"], value["Ref"])
    return value
