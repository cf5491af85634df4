/* cachet-test-utils.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   exit_status;
  char *out;
  char *err;
} CachetCliResult;

void             cachet_test_init        (int     *argc,
                                          char  ***argv);
CachetCliResult *cachet_test_run_cli     (const char *first_arg,
                                          ...) G_GNUC_NULL_TERMINATED;
void             cachet_cli_result_free  (CachetCliResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetCliResult, cachet_cli_result_free)

G_END_DECLS
