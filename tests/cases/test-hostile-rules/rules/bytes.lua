-- An error message of any bytes is reported as printable text.
error("迟报\255次\nforged")
