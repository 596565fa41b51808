return veto(data.serious, "发生严重违法行政行为，经核实造成恶劣社会影响")
