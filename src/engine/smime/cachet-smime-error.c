/* cachet-smime-error.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-smime-error.h"

G_DEFINE_QUARK (cachet-smime-error-quark, cachet_smime_error)
