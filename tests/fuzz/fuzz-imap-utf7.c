/* fuzz-imap-utf7.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The decoder accepts exactly what the encoder produces: whatever decodes
 * must encode back to the same bytes, and whatever encodes must decode back
 * to the same name. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-imap-utf7.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autofree char *decoded = cachet_imap_utf7_decode (input, NULL);
  g_autofree char *encoded = cachet_imap_utf7_encode (input, NULL);

  if (decoded != NULL)
    {
      g_autofree char *again = cachet_imap_utf7_encode (decoded, NULL);

      if (!g_utf8_validate (decoded, -1, NULL) || again == NULL || strcmp (again, input) != 0)
        abort ();
    }

  if (encoded != NULL)
    {
      g_autofree char *back = cachet_imap_utf7_decode (encoded, NULL);

      if (back == NULL || strcmp (back, input) != 0)
        abort ();
    }
  else if (g_utf8_validate (input, -1, NULL))
    {
      abort ();
    }

  return 0;
}
