"""Invoices, payments and refunds."""

MESSAGES = {
    "invoices.col_invoiced": ("Faktureret", "Invoiced"),
    "invoices.col_paid": ("Betalt", "Paid"),
    "invoices.col_outstanding": ("Udestående", "Outstanding"),
    "invoices.col_overdue": ("Forfaldent", "Overdue"),
    "invoices.col_to_be_refunded": ("Til gode", "To be refunded"),
    "invoices.balances_title": ("Fakturaer pr. part", "Invoices by partner"),
}
