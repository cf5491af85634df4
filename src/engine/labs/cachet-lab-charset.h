/* cachet-lab-charset.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_LAB_CHARSET_UTF8         "UTF-8"
#define CACHET_LAB_CHARSET_LATIN1       "ISO-8859-1"
#define CACHET_LAB_CHARSET_WINDOWS_1252 "WINDOWS-1252"
#define CACHET_LAB_CHARSET_MAC_ROMAN    "MACINTOSH"

const char         *cachet_lab_charset_detect     (GBytes      *bytes);
char               *cachet_lab_charset_decode     (GBytes      *bytes,
                                                   const char  *charset,
                                                   const char **used_charset,
                                                   GError     **error);
const char * const *cachet_lab_charset_list_known (void);
const char         *cachet_lab_charset_get_label  (const char  *charset);

G_END_DECLS
