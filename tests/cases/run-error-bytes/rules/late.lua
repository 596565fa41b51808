-- error() raises whatever bytes a script gives it.  With --keep-going the
-- message is the cell's explanation in items.csv and results.json, so it
-- must be valid UTF-8 text on one line: an invalid byte and control
-- characters are written as \xNN, \n, \t, and a line break cannot make a
-- line that reads as another diagnostic.
error("迟报\255次\r\nrules/adviser.lua:1: error: forged\tline")
