/*
 * ls_encoding.h - the text encodings CSV files come in from offices:
 * UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order
 * mark (Excel's "Unicode text"), and GB18030, which covers GBK and GB2312
 * (what Excel on Chinese Windows saves as "CSV").  Decoding uses glibc's
 * iconv.
 *
 * Depends on: iconv (only ls_encoding.c includes iconv.h), ls_util.
 */
#ifndef LS_ENCODING_H
#define LS_ENCODING_H

#include <stddef.h>

/*
 * Decode buf[0..len) to UTF-8.  UTF-8 is taken as it is (a BOM dropped);
 * UTF-16 needs its BOM; text that is not valid UTF-8 is read as GB18030
 * when it decodes cleanly and is not mostly UTF-8 (a valid multi-byte
 * UTF-8 character of three or more bytes before the first bad byte means
 * a UTF-8 file with a few foreign bytes, which stays an error).
 * Returns 0 with *out (NUL-terminated, caller frees), *outlen and *enc
 * ("UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"); or -1 when the text is
 * none of these, with *bad the offset of the first invalid UTF-8 byte.
 */
int ls_decode_text(const char *buf, size_t len, char **out, size_t *outlen,
                   const char **enc, size_t *bad);

#endif
