/* cachet-test-utils.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cachet-account.h"
#include "cachet-store.h"

G_BEGIN_DECLS

typedef struct
{
  int   exit_status;
  char *out;
  char *err;
} CachetCliResult;

/* Says whether what a test waits for has happened. */
typedef gboolean (*CachetTestCondition) (gpointer data);

void             cachet_test_init          (int                  *argc,
                                            char               ***argv);
CachetCliResult *cachet_test_run_cli       (const char           *first_arg,
                                            ...) G_GNUC_NULL_TERMINATED;
void             cachet_cli_result_free    (CachetCliResult      *result);
void             cachet_test_remove_tree   (const char           *path);

void             cachet_test_iterate       (void);
void             cachet_test_iterate_until (CachetTestCondition   condition,
                                            gpointer              data,
                                            const char           *what);

CachetStore     *cachet_test_add_account   (const char           *name,
                                            const char           *address,
                                            CachetAccount       **account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetCliResult, cachet_cli_result_free)

G_END_DECLS
