/*
 * ls_publish.h - writing a run's results: results.csv, items.csv and
 * results.json into one directory, all or nothing.  results.json, the
 * largest (about half of a province run's time), is written on a second
 * thread while the CSV files are written: the run is only read.
 *
 * Depends on: ls_outdir, ls_export_csv, ls_export_json, ls_manifest,
 * ls_score, ls_error, pthreads (POSIX threads).
 */
#ifndef LS_PUBLISH_H
#define LS_PUBLISH_H

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"

/* Write the three files of r into dir (created if missing).  Returns 0,
 * or -1 with the errors in err and no new file in dir. */
int ls_publish(const ls_run *r, const ls_manifest *m, const char *dir, ls_errors *err);

#endif
