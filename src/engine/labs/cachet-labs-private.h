/* cachet-labs-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds shared by every parser: lab files are untrusted input. */
#define CACHET_LABS_MAX_FILE_SIZE   (64 * 1024 * 1024)
#define CACHET_LABS_MAX_LINES       200000
#define CACHET_LABS_MAX_FIELD_BYTES 4096
#define CACHET_LABS_MAX_REPORTS     1000

char      *cachet_labs_strdup_nonempty (const char  *text);
char      *cachet_labs_strndup_trimmed (const char  *text,
                                        gsize        length);
void       cachet_labs_set_string      (char       **slot,
                                        const char  *value);
GPtrArray *cachet_labs_split_lines     (const char  *text,
                                        GError     **error);
char      *cachet_labs_parse_date      (const char  *text);
char     **cachet_labs_split           (const char  *text,
                                        char         separator,
                                        guint        max_fields);
const char *cachet_labs_field          (char       **fields,
                                        guint        index);

G_END_DECLS
