local m = require("os") return 10
