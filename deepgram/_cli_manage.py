"""The management reads: ``projects``, ``keys``, ``members``, ``usage`` and ``balances``."""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ._cli_common import EXIT_OK, EXIT_USAGE, CliError, HelpFormatter, make_client, print_json, table

__all__ = ["add_parsers"]

Columns = Sequence[Tuple[str, str]]


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register the five read commands on the subcommand set."""
    parser = commands.add_parser(
        "projects", parents=[common], help="list the projects the key can reach",
        formatter_class=HelpFormatter,
        description="List the projects the API key can reach, as a table (--json: Deepgram's answer as it is).",
        epilog="example:\n  deepgram projects --json")
    parser.set_defaults(run=run_projects)
    for name, what, example in (
            ("keys", "the API keys of a project (never their secrets)", "deepgram keys"),
            ("members", "the members of a project", "deepgram members 3c1a2b5e-... --json"),
            ("balances", "the balances of a project", "deepgram balances")):
        parser = commands.add_parser(
            name, parents=[common], help=f"list {what}", formatter_class=HelpFormatter,
            description=f"List {what}, as a table (--json: Deepgram's answer as it is).",
            epilog=f"example:\n  {example}")
        _project_argument(parser)
        parser.set_defaults(run=run_listing, listing=name)
    parser = commands.add_parser(
        "usage", parents=[common], help="summarise the usage of a project",
        formatter_class=HelpFormatter,
        description="Summarise a project's usage (hours of audio and requests) per period, as a table "
                    "(--json: Deepgram's answer as it is). Without dates, Deepgram's default period.",
        epilog="example:\n  deepgram usage --start 2026-01-01 --end 2026-01-31")
    _project_argument(parser)
    parser.add_argument("--start", metavar="DATE", help="the first day, such as 2026-01-01 (ISO 8601)")
    parser.add_argument("--end", metavar="DATE", help="the last day, such as 2026-01-31 (ISO 8601)")
    parser.set_defaults(run=run_listing, listing="usage")


def _project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project_id", nargs="?", metavar="PROJECT_ID",
                        help="the project (optional when the key reaches exactly one; `deepgram projects` lists them)")


def run_projects(args: argparse.Namespace) -> int:
    """``deepgram projects``."""
    with make_client(args) as dg:
        answer = dg.sync.projects.list()
    _show(args, answer, answer.get("projects") or [],
          [("project_id", "PROJECT ID"), ("name", "NAME"), ("company", "COMPANY")])
    return EXIT_OK


def _only_project(dg: Any) -> str:
    """The project id when the key reaches exactly one project; else say which there are."""
    projects = dg.sync.projects.list().get("projects") or []
    if len(projects) == 1:
        return str(projects[0]["project_id"])
    if not projects:
        raise CliError("this key reaches no project", EXIT_USAGE)
    listed = table(projects, [("project_id", "PROJECT ID"), ("name", "NAME")])
    raise CliError(f"this key reaches {len(projects)} projects: name one (PROJECT_ID).\n{listed}", EXIT_USAGE)


def _keys_rows(answer: Mapping[str, Any]) -> List[Dict[str, Any]]:
    rows = []
    for entry in answer.get("api_keys") or []:
        key, member = entry.get("api_key") or {}, entry.get("member") or {}
        rows.append({**key, "owner": member.get("email")})
    return rows


def _members_rows(answer: Mapping[str, Any]) -> List[Dict[str, Any]]:
    return [{**member, "name": " ".join(filter(None, (member.get("first_name"), member.get("last_name"))))}
            for member in answer.get("members") or []]


# name -> (the call, the rows of its answer, the columns)
_LISTINGS: Dict[str, Tuple[Callable[[Any, str, argparse.Namespace], Any],
                           Callable[[Mapping[str, Any]], Sequence[Mapping[str, Any]]], Columns]] = {
    "keys": (lambda dg, project, args: dg.sync.keys.list(project), _keys_rows,
             [("api_key_id", "KEY ID"), ("comment", "COMMENT"), ("scopes", "SCOPES"), ("owner", "OWNER"),
              ("created", "CREATED"), ("expiration_date", "EXPIRES")]),
    "members": (lambda dg, project, args: dg.sync.members.list_members(project), _members_rows,
                [("member_id", "MEMBER ID"), ("email", "EMAIL"), ("name", "NAME"), ("scopes", "SCOPES")]),
    "balances": (lambda dg, project, args: dg.sync.billing.list_balance(project),
                 lambda answer: answer.get("balances") or [],
                 [("balance_id", "BALANCE ID"), ("amount", "AMOUNT"), ("units", "UNITS"),
                  ("purchase_order_id", "PURCHASE ORDER")]),
    "usage": (lambda dg, project, args: dg.sync.usage.get_usage(project, {"start": args.start, "end": args.end}),
              lambda answer: answer.get("results") or [],
              [("start", "START"), ("end", "END"), ("hours", "HOURS"), ("total_hours", "TOTAL HOURS"),
               ("requests", "REQUESTS")]),
}


def run_listing(args: argparse.Namespace) -> int:
    """``deepgram keys|members|balances|usage [PROJECT_ID]``."""
    call, rows_of, columns = _LISTINGS[args.listing]
    with make_client(args) as dg:
        project = args.project_id or _only_project(dg)
        answer = call(dg, project, args)
    _show(args, answer, rows_of(answer), columns)
    return EXIT_OK


def _show(args: argparse.Namespace, answer: Any, rows: Sequence[Mapping[str, Any]], columns: Columns,
          empty: Optional[str] = None) -> None:
    if args.json:
        print_json(answer)
    elif not rows:
        print(empty or "(none)")
    else:
        print(table(rows, columns))
