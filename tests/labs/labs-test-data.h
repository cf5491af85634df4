/* labs-test-data.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Generated lab files for the tests: synthetic patients only. */

typedef enum
{
  LABS_TEST_LF,
  LABS_TEST_CR,
  LABS_TEST_CRLF,
} LabsTestLineEnd;

char   *labs_test_samples_dir       (const char      *subdir);
GBytes *labs_test_encode            (const char      *utf8_text,
                                     const char      *charset,
                                     LabsTestLineEnd  line_end);
char   *labs_test_hprim_net         (gboolean         partial);
GBytes *labs_test_hprim_net_encoded (gboolean         partial,
                                     const char      *charset,
                                     LabsTestLineEnd  line_end);
char   *labs_test_cda               (const char      *ins_root,
                                     const char      *set_id,
                                     guint            version,
                                     const char      *replaces,
                                     const char      *glucose);
GBytes *labs_test_mail              (const char      *content,
                                     const char      *file_name);

G_END_DECLS
