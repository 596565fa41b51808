/*
 * ls_i18n.c - translated messages (see ls_i18n.h).
 */
#include "ls_i18n.h"

#include <libintl.h>
#include <locale.h>

#ifndef LS_LOCALE_DIR
#define LS_LOCALE_DIR "/usr/local/share/locale"
#endif

void ls_i18n_init(void)
{
    setlocale(LC_MESSAGES, "");
    bindtextdomain("lawscore", LS_LOCALE_DIR);
    bind_textdomain_codeset("lawscore", "UTF-8");
    textdomain("lawscore");
}

const char *ls_i18n(const char *msg)
{
    if (!msg || !*msg) return msg;
    return dgettext("lawscore", msg);
}
