"""Invoice and credit-note documents: the model, the OIOUBL e-invoice and the PDF.

Nothing is imported here, so that importing the package stays cheap; import the
submodules (``model``, ``oioubl``, ``pdf``) where they are needed.
"""
