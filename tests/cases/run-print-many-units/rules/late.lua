-- 15 KB of print a call (under the 16 KB of one call), 70 units: past the
-- 1 MB shown in all, the rest is not shown and a note says so.  Not an
-- error of the call that got there: with --jobs each thread's state
-- prints its own units, so which call that was (and whether any reached
-- a cap counted per state) changed with the number of threads, and with
-- it the exit status.  Run here with -j 1; run-print-many-units-j3 runs
-- the same with -j 3: both succeed with the same results.
print(unit.id, string.rep("迟", 5000))
return 10
