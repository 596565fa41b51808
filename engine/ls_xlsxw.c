/*
 * ls_xlsxw.c - opening and closing the workbooks lawscore writes (see
 * ls_xlsxw.h).
 */
#include "ls_xlsxw.h"

lxw_workbook *ls_xlsxw_new(const char *path, int constant_memory, const char *title, const char *subject,
                           const char *author, time_t created)
{
    lxw_workbook_options wo = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE,
                               .tmpdir = NULL,
                               .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb) return NULL;
    lxw_doc_properties props = {0};
    props.title = (char *)title;
    props.subject = (char *)subject;
    props.author = (char *)author;
    props.created = created;
    if (workbook_set_properties(wb, &props) != LXW_NO_ERROR) {
        lxw_workbook_free(wb);
        return NULL;
    }
    return wb;
}

int ls_xlsxw_close(lxw_workbook *wb, lxw_error first, const char *name, ls_errors *err)
{
    lxw_error e = workbook_close(wb);
    if (first != LXW_NO_ERROR) e = first;
    if (e != LXW_NO_ERROR) return ls_errorf(err, name, 0, 0, "cannot write the workbook: %s", lxw_strerror(e));
    return 0;
}
