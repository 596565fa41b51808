/*
 * ls_empty.h - a line that names nothing.
 *
 * Depends on: (nothing yet).
 */
