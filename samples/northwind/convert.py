#!/usr/bin/env python3
"""Converts the Northwind database dump (northwind.sql, Ms-PL) into OrderActors' sample files.

    python3 samples/northwind/convert.py [path/to/northwind.sql]

(default: northwind.sql in this folder). Writes, next to this script:

  manufacturers.csv   29 suppliers -> manufacturers   (id, name, country, contact, phone)
  products.csv        77 products                     (sku, name, manufacturerId, unitPrice, stockOnHand,
                                                        onOrder, reorderLevel, targetLevel, discontinued)
  catalog.json        both, as {"manufacturers": [...], "products": [...]} (what a node loads at first start)
  orders.ndjson       830 orders with their 2,155 lines, one order per line, in order_id order

Mapping: supplier -> manufacturer; product_id -> sku; units_in_stock -> stockOnHand; units_on_order -> onOrder;
reorder_level -> reorderLevel; discontinued -> discontinued; targetLevel is left empty (API.md: 2 x reorderLevel).
An order line keeps the price the order was placed at (order_details.unit_price, rounded to cents); the
discount is not carried. placedAt is order_date at midnight UTC.

The businessCode rule (Northwind has no such field), applied in this order to order_id n:
  n % 50 == 0 -> RETURN     (a customer sends the goods back: restocks)
  n % 50 == 1 -> TRANSFER   (a move between warehouses)
  n % 25 == 2 -> PRESALE    (pre-order: nothing ships yet)
  n % 25 == 3 -> SERVICE    (non-physical)
  otherwise   -> B2B when the order's lines total 50 units or more, else B2C
"""
import csv
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_values(text):
    """The values of one `INSERT INTO t VALUES (...);` tuple: strings, NULL and numbers."""
    values, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in " ,\t":
            i += 1
        elif c == "'":
            j, buf = i + 1, []
            while True:
                if text[j] == "'" and j + 1 < n and text[j + 1] == "'":
                    buf.append("'"); j += 2
                elif text[j] == "'":
                    break
                else:
                    buf.append(text[j]); j += 1
            values.append("".join(buf)); i = j + 1
        else:
            m = re.match(r"[^,]+", text[i:])
            token = m.group(0).strip(); i += len(m.group(0))
            if token == "NULL":
                values.append(None)
            elif re.fullmatch(r"-?\d+", token):
                values.append(int(token))
            else:
                values.append(float(token))
    return values


def read_tables(path):
    tables = {}
    pattern = re.compile(r"^INSERT INTO (\w+) VALUES \((.*)\);$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line.rstrip("\n"))
            if m:
                tables.setdefault(m.group(1), []).append(parse_values(m.group(2)))
    return tables


def business_code(order_id, total_quantity):
    if order_id % 50 == 0: return "RETURN"
    if order_id % 50 == 1: return "TRANSFER"
    if order_id % 25 == 2: return "PRESALE"
    if order_id % 25 == 3: return "SERVICE"
    return "B2B" if total_quantity >= 50 else "B2C"


def money(value):
    return round(float(value) + 1e-9, 2)


def main():
    default = os.path.join(HERE, "northwind.sql")
    source = sys.argv[1] if len(sys.argv) > 1 else default
    tables = read_tables(source)

    manufacturers = [
        {"id": str(s[0]), "name": s[1], "country": s[8], "contact": s[2], "phone": s[9]}
        for s in sorted(tables["suppliers"], key=lambda s: s[0])
    ]
    products = [
        {"sku": str(p[0]), "name": p[1], "manufacturerId": str(p[2]), "unitPrice": money(p[5]),
         "stockOnHand": p[6], "onOrder": p[7], "reorderLevel": p[8], "targetLevel": None,
         "discontinued": bool(p[9])}
        for p in sorted(tables["products"], key=lambda p: p[0])
    ]

    lines_by_order = {}
    for d in tables["order_details"]:
        lines_by_order.setdefault(d[0], []).append({"sku": str(d[1]), "quantity": d[3], "unitPrice": money(d[2])})
    orders = []
    for o in sorted(tables["orders"], key=lambda o: o[0]):
        lines = lines_by_order.get(o[0], [])
        orders.append({
            "orderId": str(o[0]),
            "businessCode": business_code(o[0], sum(l["quantity"] for l in lines)),
            "customerId": o[1],
            "placedAt": f"{o[3]}T00:00:00Z",
            "lines": lines,
        })

    def write_csv(name, rows, columns):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else str(row[c]).lower() if isinstance(row[c], bool) else row[c] for c in columns])
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write(buf.getvalue())

    write_csv("manufacturers.csv", manufacturers, ["id", "name", "country", "contact", "phone"])
    write_csv("products.csv", products, ["sku", "name", "manufacturerId", "unitPrice", "stockOnHand", "onOrder",
                                         "reorderLevel", "targetLevel", "discontinued"])
    with open(os.path.join(HERE, "catalog.json"), "w", encoding="utf-8") as f:
        json.dump({"manufacturers": manufacturers, "products": products}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "orders.ndjson"), "w", encoding="utf-8") as f:
        for order in orders:
            f.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")) + "\n")

    codes = {}
    for o in orders:
        codes[o["businessCode"]] = codes.get(o["businessCode"], 0) + 1
    print(f"{len(manufacturers)} manufacturers, {len(products)} products, {len(orders)} orders, "
          f"{sum(len(o['lines']) for o in orders)} lines; codes: {dict(sorted(codes.items()))}")


if __name__ == "__main__":
    main()
