/* cachet-test-operator.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CachetTestOperatorFlags:
 * @CACHET_TEST_OPERATOR_NONE: the servers and their users only
 * @CACHET_TEST_OPERATOR_DEMO: with the demo mail in the users' mailboxes
 *
 * How cachet_test_operator_start() starts the operator in a box.
 */
typedef enum
{
  CACHET_TEST_OPERATOR_NONE = 0,
  CACHET_TEST_OPERATOR_DEMO = 1 << 0,
} CachetTestOperatorFlags;

/* The operator in a box (tests/operator), started once for the whole test
 * program; it needs root. */
gboolean    cachet_test_operator_start (CachetTestOperatorFlags flags,
                                        ...) G_GNUC_NULL_TERMINATED;
const char *cachet_test_operator_get   (const char             *key);
void        cachet_test_operator_stop  (void);

G_END_DECLS
