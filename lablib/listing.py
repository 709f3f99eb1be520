"""Read a RetrievePropertiesEx answer quickly when it holds only simple values.

Listing 1,000 VMs is one SOAP round trip, but turning its XML answer into pyVmomi
objects takes most of the time (BENCHMARKS.md). Listings ask mostly for names,
references, numbers and enum values, which this module reads directly with
ElementTree. Anything else in the answer (a data object, a fault, a dropped session)
goes to pyVmomi: the same bytes through its own deserializer, or the call again
through the session stub, which logs in again and raises faults as usual.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from pyVmomi import SoapAdapter, VmomiSupport, vmodl

_PC = vmodl.query.PropertyCollector
_NS = "urn:vim25"
_VIM = "{urn:vim25}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_SCALARS: dict[str, Callable[[str], Any]] = {
    "xsd:string": str,
    "xsd:int": int, "xsd:long": int, "xsd:short": int, "xsd:byte": int,
    "xsd:boolean": lambda text: text in ("true", "1"),
    "xsd:double": float, "xsd:float": float,
    "xsd:dateTime": SoapAdapter.Iso8601.ParseISO8601,
}


class _NotSimple(Exception):
    """The answer holds a value this reader leaves to pyVmomi."""


def retrieve(conn, collector, spec):
    """Return (rows, token) for one RetrievePropertiesEx call, as lablib.inventory reads it.

    Each row is {property path: value, "obj": managed object}; `token` continues a
    paged answer (None when complete).
    """
    info = _PC._GetMethodInfo("RetrievePropertiesEx")
    args = [[spec], _PC.RetrieveOptions()]
    answer = _post(conn, collector, info, args)
    if answer is not None:
        try:
            return _lean(answer, conn.stub)
        except _NotSimple:
            result = SoapAdapter.SoapResponseDeserializer(conn.stub).Deserialize(
                io.BytesIO(answer), info.result)
            return rows_of(result)
    return rows_of(collector.RetrievePropertiesEx(*args))


def rows_of(result):
    """Return (rows, token) from a pyVmomi RetrieveResult (None when nothing matched)."""
    if result is None:
        return [], None
    rows = []
    for content in result.objects or []:
        row = {prop.name: prop.val for prop in content.propSet or []}
        row["obj"] = content.obj
        rows.append(row)
    return rows, result.token


def _post(conn, collector, info, args) -> bytes | None:
    """Send the call over the session's HTTP connection; None if pyVmomi should do it."""
    soap = conn.stub.soapStub
    if not soap.cookie:
        return None  # not logged in yet: the session stub logs in
    request = soap.SerializeRequest(collector, info, args)
    link = soap.GetConnection()
    try:
        link.request("POST", soap.path, request, {
            "Cookie": soap.cookie, "SOAPAction": soap.versionId,
            "Content-Type": "text/xml; charset=UTF-8"})
        response = link.getresponse()
        answer = response.read()
    except (OSError, http.client.HTTPException):
        link.close()
        return None  # the session stub retries and reports a lost connection
    soap.ReturnConnection(link)
    conn.count(info.wsdlName)
    return answer if response.status == 200 else None


def _lean(answer: bytes, stub):
    body = ElementTree.fromstring(answer).find(f"*/{_VIM}RetrievePropertiesExResponse")
    if body is None:
        raise _NotSimple
    result = body.find(f"{_VIM}returnval")
    if result is None:
        return [], None
    rows = []
    for found in result.iter(f"{_VIM}objects"):
        ref = found.find(f"{_VIM}obj")
        row = {"obj": _reference(ref, stub)}
        for prop in found.iter(f"{_VIM}propSet"):
            row[prop.findtext(f"{_VIM}name") or ""] = _value(prop.find(f"{_VIM}val"), stub)
        rows.append(row)
    return rows, result.findtext(f"{_VIM}token")


def _value(val: Any, stub: Any) -> Any:
    kind = val.get(_XSI_TYPE, "")
    if kind in _SCALARS:
        return _SCALARS[kind](val.text or "")
    if kind == "ManagedObjectReference":
        return _reference(val, stub)
    if kind == "ArrayOfManagedObjectReference":
        return [_reference(item, stub) for item in val]
    if kind == "ArrayOfString":
        return [item.text or "" for item in val]
    enum = _enum(kind)
    if enum is None:
        raise _NotSimple
    return getattr(enum, val.text or "")


def _reference(element, stub):
    return VmomiSupport.GetWsdlType(_NS, element.get("type"))(element.text, stub)


def _enum(kind: str):
    try:
        cls = VmomiSupport.GetWsdlType(_NS, kind)
    except KeyError:
        return None
    return cls if isinstance(cls, type) and issubclass(cls, VmomiSupport.Enum) else None
