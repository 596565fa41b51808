/*
 * ls_i18n.h - translated messages (gettext, text domain "lawscore").
 *
 * Messages are written in English in the sources and translated at run
 * time from the catalogue of the user's LC_MESSAGES locale (po/zh_CN.po,
 * compiled to LS_LOCALE_DIR/zh_CN/LC_MESSAGES/lawscore.mo).  The
 * formatting functions translate their format themselves (ls_errorf,
 * ls_warnf, ls_notef, ls_yr_error, the rule backends' error builders), so a
 * literal passed to them needs no marking; any other message is written
 * _("...") where it is used, or N_("...") where it is only stored (a table
 * of fragments) and translated with _() when shown.  `make pot` extracts
 * both (the keyword list is in the Makefile), and tests/check-po.sh fails
 * on a message without a translation.
 *
 * Depends on: gettext (libintl of glibc; included by ls_i18n.c only).
 */
#ifndef LS_I18N_H
#define LS_I18N_H

/* Set the message locale from the environment (LC_ALL, LC_MESSAGES, LANG;
 * LANGUAGE too when that locale is not C) and bind the "lawscore" domain to
 * LS_LOCALE_DIR, always in UTF-8.  Only LC_MESSAGES follows the
 * environment: numbers, collation and character classes stay those of the
 * C locale, so scores and outputs are the same byte for byte whatever the
 * language.  Call once, from main, before any message is formatted. */
void ls_i18n_init(void);

/* The translation of msg in the current message locale, or msg itself
 * (also for NULL and "", which gettext would map to the catalogue header).
 * The returned string is static: never free it. */
const char *ls_i18n(const char *msg) __attribute__((format_arg(1)));

#define _(s) ls_i18n(s)
#define N_(s) (s)

#endif
