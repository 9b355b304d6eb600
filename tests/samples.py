"""Sample files for upload tests: real enough to pass the content checks."""

# A one-page blank PDF written by pypdf: it passes the PDF parser check.
MINIMAL_PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 ob"
    b"j\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj"
    b"\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /"
    b"Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 200 200 ]\n/Parent "
    b"2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000015 0000"
    b"0 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 0000"
    b"0 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref"
    b"\n256\n%%EOF\n"
)
