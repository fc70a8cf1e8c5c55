// -W timeout: a thread that interrupts the guest when its time is up.
#pragma once

#include "parawasm/parawasm.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace parawasm::cli {

// Interrupts the instances of a linker when `after` has passed, unless destroyed first.
class Deadline {
public:
  Deadline(InterruptHandle handle, std::chrono::nanoseconds after)
      : thread_([this, handle, after] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, after, [&] { return done_; })) {
            fired_ = true;
            handle.interrupt();
          }
        }) {}
  ~Deadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() {
    std::lock_guard lock(mutex_);
    return fired_;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false, fired_ = false;
  std::thread thread_; // last: starts once the members above exist
};

} // namespace parawasm::cli
