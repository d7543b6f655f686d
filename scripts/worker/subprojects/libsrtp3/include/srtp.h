/*
 * libsrtp 3 API, as used by the mediasoup worker, implemented over Debian's libsrtp2.
 *
 * Why: mediasoup 3.27 builds against libsrtp 3 (a GitHub download, unreachable here), whose API
 * differs from libsrtp 2 (the only libsrtp in Debian bookworm): policies are opaque objects
 * built with setter functions, and protect/unprotect take separate input and output buffers
 * with size_t lengths. This header declares just the subset the worker calls
 * (src/DepLibSRTP.cpp, src/RTC/SrtpSession.cpp, include/RTC/SrtpSession.hpp); the code behind
 * it is ../src/srtp3_compat.c.
 *
 * libsrtp2 uses the very same names (srtp_create, srtp_policy_t, ssrc_any_inbound, ...) with
 * other types, and both libraries end up in one binary. So everything here is really declared
 * under the private prefix "srtp3compat_", and a block of #defines at the end gives the
 * worker the libsrtp 3 spellings. srtp3_compat.c defines SRTP3COMPAT_IMPLEMENTATION to skip
 * those #defines: there the plain names mean libsrtp2 and the prefixed names mean this layer.
 *
 * Limits (none of them reached by the worker): one master key per policy and no MKI; no
 * cryptex; no policy lists.
 */
#ifndef SRTP3COMPAT_SRTP_H
#define SRTP3COMPAT_SRTP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same values as libsrtp 2 and 3 (libsrtp2 stops at pkt_idx_adv; 3 adds the last two). */
#define SRTP_MAX_TAG_LEN 16
#define SRTP_MAX_MKI_LEN 128
#define SRTP_MAX_TRAILER_LEN (SRTP_MAX_TAG_LEN + SRTP_MAX_MKI_LEN)

typedef enum {
    srtp3compat_srtp_err_status_ok = 0,
    srtp3compat_srtp_err_status_fail = 1,
    srtp3compat_srtp_err_status_bad_param = 2,
    srtp3compat_srtp_err_status_alloc_fail = 3,
    srtp3compat_srtp_err_status_dealloc_fail = 4,
    srtp3compat_srtp_err_status_init_fail = 5,
    srtp3compat_srtp_err_status_terminus = 6,
    srtp3compat_srtp_err_status_auth_fail = 7,
    srtp3compat_srtp_err_status_cipher_fail = 8,
    srtp3compat_srtp_err_status_replay_fail = 9,
    srtp3compat_srtp_err_status_replay_old = 10,
    srtp3compat_srtp_err_status_algo_fail = 11,
    srtp3compat_srtp_err_status_no_such_op = 12,
    srtp3compat_srtp_err_status_no_ctx = 13,
    srtp3compat_srtp_err_status_cant_check = 14,
    srtp3compat_srtp_err_status_key_expired = 15,
    srtp3compat_srtp_err_status_socket_err = 16,
    srtp3compat_srtp_err_status_signal_err = 17,
    srtp3compat_srtp_err_status_nonce_bad = 18,
    srtp3compat_srtp_err_status_read_fail = 19,
    srtp3compat_srtp_err_status_write_fail = 20,
    srtp3compat_srtp_err_status_parse_err = 21,
    srtp3compat_srtp_err_status_encode_err = 22,
    srtp3compat_srtp_err_status_semaphore_err = 23,
    srtp3compat_srtp_err_status_pfkey_err = 24,
    srtp3compat_srtp_err_status_bad_mki = 25,
    srtp3compat_srtp_err_status_pkt_idx_old = 26,
    srtp3compat_srtp_err_status_pkt_idx_adv = 27,
    srtp3compat_srtp_err_status_buffer_small = 28,
    srtp3compat_srtp_err_status_cryptex_err = 29
} srtp3compat_srtp_err_status_t;

typedef enum {
    srtp3compat_ssrc_undefined = 0,
    srtp3compat_ssrc_specific = 1,
    srtp3compat_ssrc_any_inbound = 2,
    srtp3compat_ssrc_any_outbound = 3
} srtp3compat_srtp_ssrc_type_t;

typedef struct {
    srtp3compat_srtp_ssrc_type_t type;
    unsigned int value;
} srtp3compat_srtp_ssrc_t;

/* Same numbering as libsrtp 2 and 3 (the IANA DTLS-SRTP protection profile ids). */
typedef enum {
    srtp3compat_srtp_profile_reserved = 0,
    srtp3compat_srtp_profile_aes128_cm_sha1_80 = 1,
    srtp3compat_srtp_profile_aes128_cm_sha1_32 = 2,
    srtp3compat_srtp_profile_null_sha1_80 = 5,
    srtp3compat_srtp_profile_null_sha1_32 = 6,
    srtp3compat_srtp_profile_aead_aes_128_gcm = 7,
    srtp3compat_srtp_profile_aead_aes_256_gcm = 8
} srtp3compat_srtp_profile_t;

/* Opaque handles: a session is a libsrtp2 session; a policy is this layer's own object. */
typedef struct srtp3compat_session *srtp3compat_srtp_t;
typedef struct srtp3compat_policy *srtp3compat_srtp_policy_t;

typedef enum {
    srtp3compat_event_ssrc_collision,
    srtp3compat_event_key_soft_limit,
    srtp3compat_event_key_hard_limit,
    srtp3compat_event_packet_index_limit
} srtp3compat_srtp_event_t;

typedef struct {
    srtp3compat_srtp_t session;
    uint32_t ssrc;
    srtp3compat_srtp_event_t event;
} srtp3compat_srtp_event_data_t;

typedef void(srtp3compat_srtp_event_handler_func_t)(srtp3compat_srtp_event_data_t *data);

srtp3compat_srtp_err_status_t srtp3compat_srtp_init(void);
srtp3compat_srtp_err_status_t srtp3compat_srtp_shutdown(void);
const char *srtp3compat_srtp_get_version_string(void);
srtp3compat_srtp_err_status_t srtp3compat_srtp_install_event_handler(
    srtp3compat_srtp_event_handler_func_t func);

unsigned int srtp3compat_srtp_profile_get_master_key_length(srtp3compat_srtp_profile_t profile);
unsigned int srtp3compat_srtp_profile_get_master_salt_length(srtp3compat_srtp_profile_t profile);

srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_create(srtp3compat_srtp_policy_t *policy);
void srtp3compat_srtp_policy_destroy(srtp3compat_srtp_policy_t policy);
srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_ssrc(srtp3compat_srtp_policy_t policy,
                                                               srtp3compat_srtp_ssrc_t ssrc);
srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_profile(
    srtp3compat_srtp_policy_t policy, srtp3compat_srtp_profile_t profile);
srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_add_key(srtp3compat_srtp_policy_t policy,
                                                              const uint8_t *key, size_t key_len,
                                                              const uint8_t *salt, size_t salt_len,
                                                              const uint8_t *mki, size_t mki_len);
srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_allow_repeat_tx(
    srtp3compat_srtp_policy_t policy, int allow);
srtp3compat_srtp_err_status_t srtp3compat_srtp_policy_set_window_size(
    srtp3compat_srtp_policy_t policy, size_t window_size);

srtp3compat_srtp_err_status_t srtp3compat_srtp_create(srtp3compat_srtp_t *session,
                                                      const srtp3compat_srtp_policy_t policy);
srtp3compat_srtp_err_status_t srtp3compat_srtp_dealloc(srtp3compat_srtp_t session);
srtp3compat_srtp_err_status_t srtp3compat_srtp_stream_remove(srtp3compat_srtp_t session,
                                                             uint32_t ssrc);

/*
 * Protect: reads rtp_len bytes at rtp, writes the result to srtp. *srtp_len is the capacity of
 * srtp on entry and the length written on success. rtp and srtp may be the same buffer.
 */
srtp3compat_srtp_err_status_t srtp3compat_srtp_protect(srtp3compat_srtp_t session,
                                                       const uint8_t *rtp, size_t rtp_len,
                                                       uint8_t *srtp, size_t *srtp_len,
                                                       size_t mki_index);
srtp3compat_srtp_err_status_t srtp3compat_srtp_unprotect(srtp3compat_srtp_t session,
                                                         const uint8_t *srtp, size_t srtp_len,
                                                         uint8_t *rtp, size_t *rtp_len);
srtp3compat_srtp_err_status_t srtp3compat_srtp_protect_rtcp(srtp3compat_srtp_t session,
                                                            const uint8_t *rtcp, size_t rtcp_len,
                                                            uint8_t *srtcp, size_t *srtcp_len,
                                                            size_t mki_index);
srtp3compat_srtp_err_status_t srtp3compat_srtp_unprotect_rtcp(srtp3compat_srtp_t session,
                                                              const uint8_t *srtcp,
                                                              size_t srtcp_len, uint8_t *rtcp,
                                                              size_t *rtcp_len);

#ifndef SRTP3COMPAT_IMPLEMENTATION
/* The libsrtp 3 spellings the worker uses. */
#define srtp_err_status_t srtp3compat_srtp_err_status_t
#define srtp_err_status_ok srtp3compat_srtp_err_status_ok
#define srtp_err_status_fail srtp3compat_srtp_err_status_fail
#define srtp_err_status_bad_param srtp3compat_srtp_err_status_bad_param
#define srtp_err_status_alloc_fail srtp3compat_srtp_err_status_alloc_fail
#define srtp_err_status_dealloc_fail srtp3compat_srtp_err_status_dealloc_fail
#define srtp_err_status_init_fail srtp3compat_srtp_err_status_init_fail
#define srtp_err_status_terminus srtp3compat_srtp_err_status_terminus
#define srtp_err_status_auth_fail srtp3compat_srtp_err_status_auth_fail
#define srtp_err_status_cipher_fail srtp3compat_srtp_err_status_cipher_fail
#define srtp_err_status_replay_fail srtp3compat_srtp_err_status_replay_fail
#define srtp_err_status_replay_old srtp3compat_srtp_err_status_replay_old
#define srtp_err_status_algo_fail srtp3compat_srtp_err_status_algo_fail
#define srtp_err_status_no_such_op srtp3compat_srtp_err_status_no_such_op
#define srtp_err_status_no_ctx srtp3compat_srtp_err_status_no_ctx
#define srtp_err_status_cant_check srtp3compat_srtp_err_status_cant_check
#define srtp_err_status_key_expired srtp3compat_srtp_err_status_key_expired
#define srtp_err_status_socket_err srtp3compat_srtp_err_status_socket_err
#define srtp_err_status_signal_err srtp3compat_srtp_err_status_signal_err
#define srtp_err_status_nonce_bad srtp3compat_srtp_err_status_nonce_bad
#define srtp_err_status_read_fail srtp3compat_srtp_err_status_read_fail
#define srtp_err_status_write_fail srtp3compat_srtp_err_status_write_fail
#define srtp_err_status_parse_err srtp3compat_srtp_err_status_parse_err
#define srtp_err_status_encode_err srtp3compat_srtp_err_status_encode_err
#define srtp_err_status_semaphore_err srtp3compat_srtp_err_status_semaphore_err
#define srtp_err_status_pfkey_err srtp3compat_srtp_err_status_pfkey_err
#define srtp_err_status_bad_mki srtp3compat_srtp_err_status_bad_mki
#define srtp_err_status_pkt_idx_old srtp3compat_srtp_err_status_pkt_idx_old
#define srtp_err_status_pkt_idx_adv srtp3compat_srtp_err_status_pkt_idx_adv
#define srtp_err_status_buffer_small srtp3compat_srtp_err_status_buffer_small
#define srtp_err_status_cryptex_err srtp3compat_srtp_err_status_cryptex_err

#define srtp_ssrc_type_t srtp3compat_srtp_ssrc_type_t
#define ssrc_undefined srtp3compat_ssrc_undefined
#define ssrc_specific srtp3compat_ssrc_specific
#define ssrc_any_inbound srtp3compat_ssrc_any_inbound
#define ssrc_any_outbound srtp3compat_ssrc_any_outbound
#define srtp_ssrc_t srtp3compat_srtp_ssrc_t

#define srtp_profile_t srtp3compat_srtp_profile_t
#define srtp_profile_reserved srtp3compat_srtp_profile_reserved
#define srtp_profile_aes128_cm_sha1_80 srtp3compat_srtp_profile_aes128_cm_sha1_80
#define srtp_profile_aes128_cm_sha1_32 srtp3compat_srtp_profile_aes128_cm_sha1_32
#define srtp_profile_null_sha1_80 srtp3compat_srtp_profile_null_sha1_80
#define srtp_profile_null_sha1_32 srtp3compat_srtp_profile_null_sha1_32
#define srtp_profile_aead_aes_128_gcm srtp3compat_srtp_profile_aead_aes_128_gcm
#define srtp_profile_aead_aes_256_gcm srtp3compat_srtp_profile_aead_aes_256_gcm

#define srtp_t srtp3compat_srtp_t
#define srtp_policy_t srtp3compat_srtp_policy_t

#define srtp_event_t srtp3compat_srtp_event_t
#define event_ssrc_collision srtp3compat_event_ssrc_collision
#define event_key_soft_limit srtp3compat_event_key_soft_limit
#define event_key_hard_limit srtp3compat_event_key_hard_limit
#define event_packet_index_limit srtp3compat_event_packet_index_limit
#define srtp_event_data_t srtp3compat_srtp_event_data_t
#define srtp_event_handler_func_t srtp3compat_srtp_event_handler_func_t

#define srtp_init srtp3compat_srtp_init
#define srtp_shutdown srtp3compat_srtp_shutdown
#define srtp_get_version_string srtp3compat_srtp_get_version_string
#define srtp_install_event_handler srtp3compat_srtp_install_event_handler
#define srtp_profile_get_master_key_length srtp3compat_srtp_profile_get_master_key_length
#define srtp_profile_get_master_salt_length srtp3compat_srtp_profile_get_master_salt_length
#define srtp_policy_create srtp3compat_srtp_policy_create
#define srtp_policy_destroy srtp3compat_srtp_policy_destroy
#define srtp_policy_set_ssrc srtp3compat_srtp_policy_set_ssrc
#define srtp_policy_set_profile srtp3compat_srtp_policy_set_profile
#define srtp_policy_add_key srtp3compat_srtp_policy_add_key
#define srtp_policy_set_allow_repeat_tx srtp3compat_srtp_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size srtp3compat_srtp_policy_set_window_size
#define srtp_create srtp3compat_srtp_create
#define srtp_dealloc srtp3compat_srtp_dealloc
#define srtp_stream_remove srtp3compat_srtp_stream_remove
#define srtp_protect srtp3compat_srtp_protect
#define srtp_unprotect srtp3compat_srtp_unprotect
#define srtp_protect_rtcp srtp3compat_srtp_protect_rtcp
#define srtp_unprotect_rtcp srtp3compat_srtp_unprotect_rtcp
#endif /* SRTP3COMPAT_IMPLEMENTATION */

#ifdef __cplusplus
}
#endif

#endif /* SRTP3COMPAT_SRTP_H */
